package io.siplane.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token the REST API requires (PLATFORM_API_TOKEN), at the gateway and at location-service alike. Only its SHA-256 digest is kept; a presented token is
 * hashed and compared in constant time, so neither its content nor its length leaks through timing.
 */
public final class ApiToken {

    public static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private ApiToken(byte[] digest) {
        this.digest = digest;
    }

    /** @throws InvalidApiTokenException when the configured token is missing, too short or contains whitespace */
    public static ApiToken of(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new InvalidApiTokenException("PLATFORM_API_TOKEN is not set");
        }
        if (configured.length() < MIN_LENGTH) {
            throw new InvalidApiTokenException("PLATFORM_API_TOKEN is shorter than " + MIN_LENGTH + " characters");
        }
        if (configured.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new InvalidApiTokenException("PLATFORM_API_TOKEN contains whitespace or control characters");
        }
        return new ApiToken(digest(configured));
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, digest(presented));
    }

    /** SHA-256: 32 bytes whatever the token's length, so the comparison takes the same time for every guess. */
    static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[redacted]";
    }
}
