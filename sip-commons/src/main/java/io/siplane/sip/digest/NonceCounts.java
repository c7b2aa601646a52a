package io.siplane.sip.digest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The highest nonce-count used with each nonce (RFC 7616 §3.4: the server should check that nc increases, so a
 * captured Authorization cannot be sent again). {@link NonceCountTracker} keeps it per replica;
 * {@link SharedNonceCounts} adds a store every replica shares.
 */
public interface NonceCounts {

    /**
     * Records {@code nc} for {@code nonce}; false when it is not higher than one already used by another request.
     * The same nc with the same {@code requestKey} (Call-ID and CSeq) is a retransmission and is accepted again.
     */
    boolean accept(String nonce, long nc, String requestKey);

    /** {@link #accept} without blocking the caller, for counts kept in a store. */
    default CompletionStage<Boolean> acceptAsync(String nonce, long nc, String requestKey) {
        return CompletableFuture.completedFuture(accept(nonce, nc, requestKey));
    }
}
