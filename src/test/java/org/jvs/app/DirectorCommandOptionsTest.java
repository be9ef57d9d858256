package org.jvs.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DirectorCommandOptionsTest {

    @Test
    void shouldUseTheFastPathWhenAvailableUnlessToldToInsistOrNotTo() {
        assertEquals(DirectorCommand.FastPathMode.WHEN_AVAILABLE, DirectorCommand.Options.parse(new String[0]).fastPath());
        assertEquals(DirectorCommand.FastPathMode.REQUIRED,
                DirectorCommand.Options.parse(new String[] {"--fast-path"}).fastPath());
        assertEquals(DirectorCommand.FastPathMode.OFF,
                DirectorCommand.Options.parse(new String[] {"--no-fast-path"}).fastPath());
    }

    @Test
    void shouldDefaultTheFullNatPortsBelowTheKernelsEphemeralRange() {
        DirectorCommand.Options options = DirectorCommand.Options.parse(new String[0]);

        assertEquals(1024, options.fullNatLowestPort());
        assertEquals(32767, options.fullNatHighestPort());
    }

    @Test
    void shouldTakeAFullNatPortRange() {
        DirectorCommand.Options options = DirectorCommand.Options.parse(new String[] {"--fullnat-ports", "2000-2099"});

        assertEquals(2000, options.fullNatLowestPort());
        assertEquals(2099, options.fullNatHighestPort());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2000", "2000-", "-2000", "0-100", "100-99", "1-65536", "a-b", "1000-2000-3000"})
    void shouldRefuseABadRangeNamingIt(String range) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DirectorCommand.Options.parse(new String[] {"--fullnat-ports", range}));

        assertEquals("--fullnat-ports " + range + ": expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535, e.g. 1024-32767",
                refused.getMessage());
    }

    @TempDir
    Path dir;

    @Test
    void shouldServeHttpOnLoopbackPort9947ByDefault() {
        DirectorCommand.Options options = DirectorCommand.Options.parse(new String[0]);

        assertEquals(new InetSocketAddress("127.0.0.1", 9947), options.http().address());
        assertNull(options.http().token());
    }

    @Test
    void shouldMoveOrTurnOffTheHttpEndpoint() {
        assertEquals(new InetSocketAddress("127.0.0.2", 8080),
                DirectorCommand.Options.parse(new String[] {"--http", "127.0.0.2:8080"}).http().address());
        assertFalse(DirectorCommand.Options.parse(new String[] {"--http", "off"}).http().enabled());
    }

    @Test
    void shouldRefuseABadHttpAddressNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DirectorCommand.Options.parse(new String[] {"--http", "localhost"}));

        assertEquals("--http localhost: expected ADDR:PORT with an IP address and a port from 1 to 65535,"
                + " e.g. 127.0.0.1:9947 or [::1]:9947, or off", refused.getMessage());
    }

    @Test
    void shouldRefuseHttpOffLoopbackWithoutATokenFile() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DirectorCommand.Options.parse(new String[] {"--http", "0.0.0.0:9947"}));

        assertEquals("--http 0.0.0.0:9947 is not a loopback address: it needs --http-token-file FILE",
                refused.getMessage());
    }

    @Test
    void shouldRefuseAWorldReadableTokenFile() throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DirectorCommand.Options.parse(new String[] {"--http", "0.0.0.0:9947", "--http-token-file",
                    token.toString()}));

        assertEquals("--http-token-file " + token + ": readable by others (expected a file only its owner can read,"
                + " e.g. chmod 600)", refused.getMessage());
    }

    @Test
    void shouldTakeAnOwnerOnlyTokenFile() throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));

        DirectorCommand.Options options = DirectorCommand.Options.parse(new String[] {"--http", "0.0.0.0:9947",
            "--http-token-file", token.toString()});

        assertTrue(options.http().token().admits("Bearer s3cret"));
    }

    @Test
    void shouldExitWith2AndOneLineForABadHttpValue() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(2, DirectorCommand.run(new String[] {"--http", "0.0.0.0:9947"}));
        } finally {
            System.setErr(saved);
        }
        assertEquals("jvs director: --http 0.0.0.0:9947 is not a loopback address: it needs --http-token-file FILE\n",
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void shouldLogAtInfoUnlessLogLevelSaysOtherwise() {
        assertEquals(org.jvs.log.Log.Level.INFO, DirectorCommand.Options.parse(new String[0]).logLevel());
        assertEquals(org.jvs.log.Log.Level.DEBUG,
                DirectorCommand.Options.parse(new String[] {"--log-level", "debug"}).logLevel());
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> DirectorCommand.Options.parse(new String[] {"--log-level", "verbose"}));
        assertEquals("--log-level verbose: expected error, warning, info or debug", refused.getMessage());
    }
}
