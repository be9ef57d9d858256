package org.jvs.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The secret every request to a non-loopback endpoint must carry as {@code Authorization: Bearer <token>} (RFC 6750),
 * read from {@code --http-token-file FILE}, a {@link SecretFile} holding a non-empty token (surrounding white space,
 * e.g. the trailing newline of {@code echo}, is not part of it).
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
        return new BearerToken(SecretFile.read(file, "the bearer token").strip());
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
