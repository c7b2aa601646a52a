package io.siplane.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The REST API's bearer token. Only its SHA-256 digest is kept; a presented token is hashed and the two 32-byte digests
 * are compared with {@link MessageDigest#isEqual}, so neither its content nor its length leaks through timing.
 */
final class ApiToken {

    private final byte[] digest;

    ApiToken(String token) {
        this.digest = digest(token);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, digest(presented));
    }

    /** SHA-256: 32 bytes whatever the token's length. */
    static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[redacted]";
    }
}
