package org.jvs.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * The secret every request to a non-loopback endpoint must carry as {@code Authorization: Bearer <token>} (RFC 6750),
 * read from {@code --http-token-file FILE}. The file must exist, be readable, hold a non-empty token (surrounding
 * white space, e.g. the trailing newline of {@code echo}, is not part of it) and not be readable by others: a
 * world-readable secret is no secret, so such a file is refused as sshd refuses a world-readable key.
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";

    /** SHA-256 of the token: comparing digests takes the same time whatever the length of the guess. */
    private final byte[] digest;

    private BearerToken(String token) {
        this.digest = sha256(token);
    }

    /** A token given directly (tests). */
    public static BearerToken of(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("empty bearer token");
        }
        return new BearerToken(token.strip());
    }

    /** Reads and checks the token file; the message of a refusal names the file and what is wrong with it. */
    public static BearerToken read(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        String text;
        try {
            permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException(file + ": readable by others (expected a file only its owner can read,"
                        + " e.g. chmod 600)");
            }
            if (Files.isDirectory(file)) {
                throw new IOException(file + ": a directory (expected a file holding the bearer token)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            throw new IOException(file + ": no such file (expected a file holding the bearer token)");
        } catch (AccessDeniedException denied) {
            throw new IOException(file + ": not readable (expected a file holding the bearer token)");
        } catch (UnsupportedOperationException noPosix) {
            throw new IOException(file + ": cannot check its permissions (expected a file on a POSIX file system)");
        }
        if (text.isBlank()) {
            throw new IOException(file + ": empty (expected a file holding the bearer token)");
        }
        return new BearerToken(text.strip());
    }

    /** Whether an {@code Authorization} header value (null when absent) carries this token; constant time. */
    public boolean admits(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[hidden]";
    }
}
