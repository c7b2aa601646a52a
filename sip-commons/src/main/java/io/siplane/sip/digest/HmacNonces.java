package io.siplane.sip.digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces (RFC 7616 §3.3 leaves the nonce format to the server): {@code base64url(time ‖ random ‖
 * HMAC-SHA256(secret, time ‖ random ‖ realm)[0..16))}. Any replica holding the same secret verifies a nonce another
 * replica issued, without shared state; an expired one is reported {@link Status#STALE} so the client may retry
 * without asking its user again.
 */
public final class HmacNonces {

    /** What a nonce is worth now. */
    public enum Status { VALID, STALE, INVALID }

    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
    /** Replicas' clocks differ a little: a nonce from slightly in the future is still good. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final SecretKeySpec key;
    /** A keyed Mac per thread: looking the algorithm up and keying it cost more than the MAC itself. */
    private final ThreadLocal<Mac> macs;
    private final Duration lifetime;
    private final Clock clock;

    public HmacNonces(byte[] secret, Duration lifetime, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the nonce secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A fresh nonce for {@code realm}. */
    public String issue(String realm) {
        ByteBuffer buf = ByteBuffer.allocate(NONCE_BYTES);
        buf.putLong(clock.millis());
        buf.putLong(ThreadLocalRandom.current().nextLong());
        byte[] mac = mac(buf.array(), 0, TIME_BYTES + RANDOM_BYTES, realm);
        buf.put(mac, 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    /** Whether {@code nonce} was issued for {@code realm} with our secret, and is still within its lifetime. */
    public Status verify(String nonce, String realm) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Status.INVALID;
        }
        if (raw.length != NONCE_BYTES) {
            return Status.INVALID;
        }
        byte[] expected = mac(raw, 0, TIME_BYTES + RANDOM_BYTES, realm);
        byte[] given = new byte[MAC_BYTES];
        System.arraycopy(raw, TIME_BYTES + RANDOM_BYTES, given, 0, MAC_BYTES);
        byte[] expectedPrefix = new byte[MAC_BYTES];
        System.arraycopy(expected, 0, expectedPrefix, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(expectedPrefix, given)) {
            return Status.INVALID;
        }
        long issuedAt = ByteBuffer.wrap(raw, 0, TIME_BYTES).getLong();
        long now = clock.millis();
        if (issuedAt > now + CLOCK_SKEW.toMillis()) {
            return Status.INVALID;
        }
        return now - issuedAt > lifetime.toMillis() ? Status.STALE : Status.VALID;
    }

    /**
     * A stand-in HA1 for a user that does not exist, the same on every call and every replica: the response check
     * then runs exactly as for a real user, and fails (no user enumeration by answer or by timing).
     */
    String decoyHa1(DigestAlgorithm algorithm, String username, String realm) {
        byte[] data = ("decoy-ha1\n" + username).getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(data, 0, data.length, realm);
        String hex = java.util.HexFormat.of().formatHex(mac);
        return hex.substring(0, algorithm.hexLength());
    }

    private byte[] mac(byte[] data, int offset, int length, String realm) {
        Mac mac = macs.get();
        mac.update(data, offset, length);
        mac.update(realm.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(); // and ready for the next use, with the same key
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
