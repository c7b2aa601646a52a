package io.siplane.sip.digest;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Refuses a replayed nonce-count (RFC 7616 §3.4: the server should check that nc increases). The highest nc seen
 * per nonce lives in a per-replica Caffeine cache bounded in size and kept for the nonce lifetime. Alone it protects
 * one replica only (a captured Authorization would pass on another one, which verifies the same stateless nonce);
 * {@link SharedNonceCounts} puts it in front of a store every replica shares.
 *
 * <p>A retransmission of the same request (same nc, same request key: Call-ID and CSeq) is not a replay: over UDP
 * a lost 200 makes the client resend the identical REGISTER, which must get the same answer.
 */
public final class NonceCountTracker implements NonceCounts {

    private record Use(long nc, String requestKey) {
    }

    private final Cache<String, Use> highest;

    public NonceCountTracker(Duration nonceLifetime, long maximumNonces) {
        this.highest = Caffeine.newBuilder()
                .expireAfterWrite(nonceLifetime.plusMinutes(1))
                .maximumSize(maximumNonces)
                .build();
    }

    @Override
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
