package org.jvs.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class BearerTokenTest {
    @TempDir
    Path dir;

    private Path tokenFile(String content, String permissions) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void shouldAdmitTheFilesTokenWithoutItsTrailingNewline() throws IOException {
        BearerToken token = BearerToken.read(tokenFile("s3cret-token\n", "rw-------"));

        assertTrue(token.admits("Bearer s3cret-token"));
        assertTrue(token.admits("bearer s3cret-token"));
    }

    @ParameterizedTest(name = "[{0}]")
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer s3cret", "Bearer s3cret-token-and-more",
        "Basic czNjcmV0LXRva2Vu", "s3cret-token"})
    void shouldRefuseAnyOtherAuthorization(String authorization) throws IOException {
        BearerToken token = BearerToken.read(tokenFile("s3cret-token", "r--------"));

        assertFalse(token.admits(authorization));
    }

    @Test
    void shouldRefuseAWorldReadableFile() throws IOException {
        Path file = tokenFile("s3cret-token", "rw-r--r--");

        IOException refused = assertThrows(IOException.class, () -> BearerToken.read(file));

        assertEquals(file + ": readable by others (expected a file only its owner can read, e.g. chmod 600)",
                refused.getMessage());
    }

    @Test
    void shouldTakeAGroupReadableFile() throws IOException {
        assertTrue(BearerToken.read(tokenFile("s3cret-token", "rw-r-----")).admits("Bearer s3cret-token"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "\n", "  \n\t"})
    void shouldRefuseAnEmptyFile(String content) throws IOException {
        Path file = tokenFile(content, "rw-------");

        IOException refused = assertThrows(IOException.class, () -> BearerToken.read(file));

        assertEquals(file + ": empty (expected a file holding the bearer token)", refused.getMessage());
    }

    @Test
    void shouldRefuseAMissingFile() {
        Path file = dir.resolve("missing");

        IOException refused = assertThrows(IOException.class, () -> BearerToken.read(file));

        assertEquals(file + ": no such file (expected a file holding the bearer token)", refused.getMessage());
    }

    @Test
    void shouldRefuseADirectory() {
        IOException refused = assertThrows(IOException.class, () -> BearerToken.read(dir));

        assertEquals(dir + ": a directory (expected a file holding the bearer token)", refused.getMessage());
    }

    @Test
    void shouldRefuseAnUnreadableFile() throws IOException {
        // root reads any file: the refusal can only be seen by another user
        assumeFalse("root".equals(System.getProperty("user.name")), "root can read a file without read permission");
        Path file = tokenFile("s3cret-token", "-w-------");

        IOException refused = assertThrows(IOException.class, () -> BearerToken.read(file));

        assertEquals(file + ": not readable (expected a file holding the bearer token)", refused.getMessage());
    }
}
