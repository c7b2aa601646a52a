package io.siplane.sip.digest;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Refuses a replayed nonce-count (RFC 7616 §3.4: the server should check that nc increases). The highest nc seen
 * per nonce lives in a per-replica Caffeine cache bounded in size and kept for the nonce lifetime: replay
 * protection is per replica, which is enough because the gateway's Call-ID affinity keeps a client on one
 * registrar replica while it uses a nonce.
 *
 * <p>A retransmission of the same request (same nc, same request key: Call-ID and CSeq) is not a replay: over UDP
 * a lost 200 makes the client resend the identical REGISTER, which must get the same answer.
 */
public final class NonceCountTracker {

    private record Use(long nc, String requestKey) {
    }

    private final Cache<String, Use> highest;

    public NonceCountTracker(Duration nonceLifetime, long maximumNonces) {
        this.highest = Caffeine.newBuilder()
                .expireAfterWrite(nonceLifetime.plusMinutes(1))
                .maximumSize(maximumNonces)
                .build();
    }

    /** Records {@code nc} for {@code nonce}; false when it is not higher than one already used by another request. */
    public boolean accept(String nonce, long nc, String requestKey) {
        boolean[] accepted = new boolean[1];
        highest.asMap().compute(nonce, (k, previous) -> {
            if (previous == null || nc > previous.nc()) {
                accepted[0] = true;
                return new Use(nc, requestKey);
            }
            accepted[0] = nc == previous.nc() && requestKey.equals(previous.requestKey());
            return previous;
        });
        return accepted[0];
    }
}
