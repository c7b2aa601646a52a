package io.siplane.location;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Digest nonce-counts shared by every registrar and proxy replica (RFC 7616 §3.4), kept in the location store's
 * Redis ({@code loc:nc:<nonce>}), so that an Authorization captured on its way to one replica is refused by all.
 */
public interface NonceCountStore {

    /**
     * Atomically records {@code nc} for {@code nonce}: true when it is higher than any count recorded, or equal to
     * it and from the same request ({@code requestKey}: Call-ID and CSeq, a retransmission); false for a replay.
     * The entry is forgotten after {@code keepFor}.
     *
     * @throws LocationUnavailableException while the store cannot answer
     */
    boolean accept(String nonce, long nc, String requestKey, Duration keepFor);

    /** {@link #accept} without blocking the caller; the stage fails where {@link #accept} would throw. */
    default CompletionStage<Boolean> acceptAsync(String nonce, long nc, String requestKey, Duration keepFor) {
        try {
            return CompletableFuture.completedFuture(accept(nonce, nc, requestKey, keepFor));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
