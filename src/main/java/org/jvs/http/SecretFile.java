package org.jvs.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/**
 * A file holding a secret (the bearer token, the TLS private key): it must exist, be readable, hold something and
 * not be readable by others - a world-readable secret is no secret, so such a file is refused as sshd refuses a
 * world-readable key.
 */
final class SecretFile {
    private SecretFile() {
    }

    /**
     * The file's text; a refusal's message names the file, what is wrong, and what was expected ({@code holding}:
     * "the bearer token").
     */
    static String read(Path file, String holding) throws IOException {
        String expected = " (expected a file holding " + holding + ")";
        String text;
        try {
            if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException(file + ": readable by others (expected a file only its owner can read,"
                        + " e.g. chmod 600)");
            }
            if (Files.isDirectory(file)) {
                throw new IOException(file + ": a directory" + expected);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            throw new IOException(file + ": no such file" + expected);
        } catch (AccessDeniedException denied) {
            throw new IOException(file + ": not readable" + expected);
        } catch (UnsupportedOperationException noPosix) {
            throw new IOException(file + ": cannot check its permissions (expected a file on a POSIX file system)");
        }
        if (text.isBlank()) {
            throw new IOException(file + ": empty" + expected);
        }
        return text;
    }
}
