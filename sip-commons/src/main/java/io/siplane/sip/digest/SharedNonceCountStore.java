package io.siplane.sip.digest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Nonce-counts kept where every replica sees them (the registrar and the proxy back it with Redis), so that an
 * Authorization captured on its way to one replica is refused by the others too.
 */
@FunctionalInterface
public interface SharedNonceCountStore {

    /**
     * Atomically records {@code nc} for {@code nonce} unless a higher one, or the same one from another request, is
     * recorded already; the entry may be forgotten after {@code keepFor}.
     *
     * @return false for a replay
     * @throws RuntimeException when the store cannot answer
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
