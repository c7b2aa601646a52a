package io.siplane.sip.digest;

import java.time.Duration;

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
}
