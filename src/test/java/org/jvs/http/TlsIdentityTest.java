package org.jvs.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PEM files operators already have for nginx: what is taken, and each refusal as one line naming the file. */
class TlsIdentityTest {
    @TempDir
    Path dir;

    /** A self-signed certificate and its PKCS#8 key, as {@code openssl req -x509 -newkey ...} writes them. */
    static Path[] selfSigned(Path dir, String name, String... keyOptions) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2",
                "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString()));
        command.addAll(List.of(keyOptions));
        openssl(command);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new Path[] {cert, key};
    }

    static void openssl(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, command + ": " + output);
    }

    @Test
    void shouldTakeAnRsaCertificateAndItsPkcs8Key() throws Exception {
        Path[] files = selfSigned(dir, "rsa", "-newkey", "rsa:2048");

        TlsIdentity identity = TlsIdentity.read(files[0], files[1]);

        assertEquals("CN=rsa", identity.certificate().getSubjectX500Principal().getName());
        assertEquals("TLS", identity.context().getProtocol());
    }

    @Test
    void shouldTakeAnEcCertificateAndItsPkcs8Key() throws Exception {
        Path[] files = selfSigned(dir, "ec", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");

        assertEquals("CN=ec", TlsIdentity.read(files[0], files[1]).certificate().getSubjectX500Principal().getName());
    }

    @Test
    void shouldRefuseAKeyThatIsNotTheCertificates() throws Exception {
        Path[] first = selfSigned(dir, "first", "-newkey", "rsa:2048");
        Path[] second = selfSigned(dir, "second", "-newkey", "rsa:2048");

        IOException refused = assertThrows(IOException.class, () -> TlsIdentity.read(first[0], second[1]));

        assertEquals(second[1] + ": not the private key of CN=first in " + first[0]
                + " (expected the key the certificate was issued for)", refused.getMessage());
    }

    @Test
    void shouldRefuseATraditionalRsaKeyNamingTheConversion() throws Exception {
        Path[] files = selfSigned(dir, "old", "-newkey", "rsa:2048");
        Path traditional = dir.resolve("old-rsa.key");
        openssl(List.of("openssl", "rsa", "-in", files[1].toString(), "-traditional", "-out", traditional.toString()));
        Files.setPosixFilePermissions(traditional, PosixFilePermissions.fromString("rw-------"));

        IOException refused = assertThrows(IOException.class, () -> TlsIdentity.read(files[0], traditional));

        assertEquals(traditional + ": a \"BEGIN RSA PRIVATE KEY\" block (expected an unencrypted PKCS#8 key,"
                + " \"BEGIN PRIVATE KEY\"; convert with openssl pkcs8 -topk8 -nocrypt)", refused.getMessage());
    }

    @Test
    void shouldRefuseAKeyOthersCanRead() throws Exception {
        Path[] files = selfSigned(dir, "open", "-newkey", "rsa:2048");
        Files.setPosixFilePermissions(files[1], PosixFilePermissions.fromString("rw-r--r--"));

        IOException refused = assertThrows(IOException.class, () -> TlsIdentity.read(files[0], files[1]));

        assertEquals(files[1] + ": readable by others (expected a file only its owner can read, e.g. chmod 600)",
                refused.getMessage());
    }

    @Test
    void shouldRefuseACertificateFileWithoutCertificates() throws Exception {
        Path[] files = selfSigned(dir, "swap", "-newkey", "rsa:2048");

        IOException refused = assertThrows(IOException.class, () -> TlsIdentity.read(files[1], files[1]));

        assertTrue(refused.getMessage().startsWith(files[1] + ": "), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("(expected -----BEGIN CERTIFICATE----- blocks, the server's first)"),
                refused.getMessage());
    }

    @Test
    void shouldRefuseAMissingCertificateFile() {
        Path missing = dir.resolve("missing.crt");

        IOException refused = assertThrows(IOException.class, () -> TlsIdentity.read(missing, missing));

        assertEquals(missing + ": no such file (expected the PEM certificate chain)", refused.getMessage());
    }
}
