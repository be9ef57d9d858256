package org.jvs.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpSettingsTest {
    @TempDir
    Path dir;

    @Test
    void shouldListenOnLoopbackPort9947WithoutATokenByDefault() {
        HttpSettings settings = HttpSettings.parse(null, null);

        assertEquals(new InetSocketAddress("127.0.0.1", 9947), settings.address());
        assertNull(settings.token());
    }

    @Test
    void shouldTurnOff() {
        assertFalse(HttpSettings.parse("off", null).enabled());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"127.0.0.2:80, 127.0.0.2, 80", "'[::1]:9947', ::1, 9947", "127.0.0.1:65535, 127.0.0.1, 65535"})
    void shouldTakeALoopbackAddressWithoutAToken(String text, String address, int port) {
        HttpSettings settings = HttpSettings.parse(text, null);

        assertEquals(new InetSocketAddress(address, port), settings.address());
        assertNull(settings.token());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"9947", ":9947", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
        "127.0.0.1:http", "localhost:9947", "::1:9947", "[::1]", "300.0.0.1:9947", "on"})
    void shouldRefuseABadAddressNamingIt(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.parse(text, null));

        assertEquals("--http " + text + ": expected ADDR:PORT with an IP address and a port from 1 to 65535,"
                + " e.g. 127.0.0.1:9947 or [::1]:9947, or off", refused.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.0.0.0:9947", "192.0.2.1:9947"})
    void shouldRefuseAnAddressOffLoopbackWithoutAToken(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.parse(text, null));

        assertEquals("--http " + text + " is not a loopback address: it needs --http-token-file FILE",
                refused.getMessage());
    }

    @Test
    void shouldTakeAnAddressOffLoopbackWithAToken() throws IOException {
        HttpSettings settings = HttpSettings.parse("0.0.0.0:9947", token("rw-------"));

        assertEquals(new InetSocketAddress("0.0.0.0", 9947), settings.address());
        assertNotNull(settings.token());
        assertTrue(settings.token().admits("Bearer t0ken"));
    }

    @Test
    void shouldRefuseAWorldReadableTokenFileNamingTheOption() throws IOException {
        Path file = token("rw----r--");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.parse("0.0.0.0:9947", file));

        assertEquals("--http-token-file " + file + ": readable by others (expected a file only its owner can read,"
                + " e.g. chmod 600)", refused.getMessage());
    }

    @Test
    void shouldRefuseATokenFileForAnEndpointThatIsOff() throws IOException {
        Path file = token("rw-------");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.parse("off", file));

        assertEquals("--http-token-file " + file + ": the endpoint is off (expected --http ADDR:PORT with it,"
                + " or no --http-token-file)", refused.getMessage());
    }

    private Path token(String permissions) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "t0ken\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void shouldServeHttpsWithBothTlsFiles() throws Exception {
        Path[] files = TlsIdentityTest.selfSigned(dir, "director", "-newkey", "rsa:2048");

        HttpSettings settings = HttpSettings.parse(null, null, files[0], files[1]);

        assertEquals("https", settings.scheme());
        assertNotNull(settings.tls());
        assertEquals("http", HttpSettings.parse(null, null).scheme());
    }

    @Test
    void shouldRefuseATlsCertificateWithoutItsKey() {
        Path cert = dir.resolve("director.crt");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.parse(null, null, cert, null));

        assertEquals("--http-tls-cert " + cert + ": without --http-tls-key (expected both, or neither)",
                refused.getMessage());
    }

    @Test
    void shouldRefuseTlsFilesWhenTheEndpointIsOff() {
        Path key = dir.resolve("director.key");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.parse("off", null, dir.resolve("director.crt"), key));

        assertEquals("--http-tls-cert " + dir.resolve("director.crt") + ": the endpoint is off (expected --http"
                + " ADDR:PORT with it, or no --http-tls-cert)", refused.getMessage());
    }

    @Test
    void shouldNameBothTlsOptionsWhenTheirFilesAreRefused() throws Exception {
        Path[] first = TlsIdentityTest.selfSigned(dir, "first", "-newkey", "rsa:2048");
        Path[] second = TlsIdentityTest.selfSigned(dir, "second", "-newkey", "rsa:2048");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.parse(null, null, first[0], second[1]));

        assertTrue(refused.getMessage().startsWith("--http-tls-cert/--http-tls-key " + second[1]
                + ": not the private key of CN=first"), refused.getMessage());
    }
}
