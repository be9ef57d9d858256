package org.jvs.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The endpoint's TLS certificate chain and private key, from the PEM files an operator already has for nginx or
 * haproxy ({@code --http-tls-cert FILE}: the server's certificate first, then its intermediates;
 * {@code --http-tls-key FILE}: an unencrypted PKCS#8 key, "BEGIN PRIVATE KEY", RSA, EC or Ed25519). The key must
 * belong to the first certificate: a mismatch would only surface as a failed handshake at the first scrape, so it is
 * refused at start-up.
 */
public final class TlsIdentity {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;
    private final X509Certificate certificate;

    private TlsIdentity(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /** Reads and checks both files; a refusal's message names the file, what is wrong, and what was expected. */
    public static TlsIdentity read(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        X509Certificate leaf = chain.getFirst();
        if (!belongTogether(key, leaf)) {
            throw new IOException(keyFile + ": not the private key of " + leaf.getSubjectX500Principal()
                    + " in " + certificateFile + " (expected the key the certificate was issued for)");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("jvs", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return new TlsIdentity(context, leaf);
        } catch (GeneralSecurityException e) {
            throw new IOException(certificateFile + ": cannot serve TLS with it: " + e.getMessage(), e);
        }
    }

    /** The context the HTTPS server handshakes with. */
    public SSLContext context() {
        return context;
    }

    /** The server's own certificate (the chain's first). */
    public X509Certificate certificate() {
        return certificate;
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] pem;
        try {
            pem = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            throw new IOException(file + ": no such file (expected the PEM certificate chain)");
        }
        Collection<? extends Certificate> read;
        try (InputStream in = new ByteArrayInputStream(pem)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM certificate chain (expected -----BEGIN CERTIFICATE-----"
                    + " blocks, the server's first)");
        }
        if (read.isEmpty()) {
            throw new IOException(file + ": no certificate (expected -----BEGIN CERTIFICATE----- blocks,"
                    + " the server's first)");
        }
        return read.stream().map(X509Certificate.class::cast).toList();
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String text = SecretFile.read(file, "the PEM private key");
        Matcher pkcs8 = PKCS8.matcher(text);
        if (!pkcs8.find()) {
            Matcher other = OTHER_KEY.matcher(text);
            String found = other.find() ? "a \"BEGIN " + other.group(1) + "PRIVATE KEY\" block" : "no private key";
            throw new IOException(file + ": " + found + " (expected an unencrypted PKCS#8 key, \"BEGIN PRIVATE"
                    + " KEY\"; convert with openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pkcs8.group(1).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the key's base64 is damaged (expected a PEM PKCS#8 key)");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException notThisOne) {
                // the PKCS#8 header names the algorithm, but KeyFactory has to be asked by name: try the next
            }
        }
        throw new IOException(file + ": a key of an algorithm JVS cannot serve (expected RSA, EC or Ed25519)");
    }

    /** Signs a challenge with the key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
