package io.siplane.location;

import java.time.Instant;

/**
 * A user allowed to register and call. Only digest hashes are kept, never the password:
 * HA1 = H(username ":" realm ":" password) with H = MD5 and H = SHA-256 (RFC 7616 §3.4.2, RFC 8760);
 * the realm is the subscriber's domain.
 */
public record Subscriber(String username, String domain, String ha1Md5, String ha1Sha256, Instant createdAt) {

    public Subscriber {
        if (username == null || username.isBlank() || domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("username and domain are required");
        }
        if (ha1Md5 == null || ha1Md5.length() != 32 || ha1Sha256 == null || ha1Sha256.length() != 64) {
            throw new IllegalArgumentException("HA1 hashes are required");
        }
    }

    public AddressOfRecord aor() {
        return AddressOfRecord.of(username, domain);
    }

    /** Builds a subscriber from a clear-text password, which is hashed here and then forgotten. */
    public static Subscriber withPassword(String username, String domain, char[] password, Instant now) {
        return new Subscriber(username, domain.toLowerCase(java.util.Locale.ROOT),
                DigestHashes.ha1("MD5", username, domain.toLowerCase(java.util.Locale.ROOT), password),
                DigestHashes.ha1("SHA-256", username, domain.toLowerCase(java.util.Locale.ROOT), password), now);
    }

    @Override
    public String toString() {
        return "Subscriber[" + username + "@" + domain + "]";
    }
}
