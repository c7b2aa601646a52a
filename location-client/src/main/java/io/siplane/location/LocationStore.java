package io.siplane.location;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The location store: bindings AOR → contacts, and subscribers. Implementations talk to Redis
 * directly (never through the near-cache: {@link #lookup} here is always the store's answer); every call is bounded
 * in time and fails with {@link LocationUnavailableException}.
 */
public interface LocationStore extends BindingLookup {

    /** Applies one REGISTER's changes atomically (RFC 3261 §10.3 steps 6–8), or reports why not. */
    RegisterResult register(RegisterUpdate update);

    /**
     * {@link #register} without blocking the caller (the registrar on a SIP event loop): the stage fails with
     * {@link LocationUnavailableException} where {@link #register} would throw it.
     */
    default CompletionStage<RegisterResult> registerAsync(RegisterUpdate update) {
        try {
            return CompletableFuture.completedFuture(register(update));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Removes one contact of an AOR; true when it existed. */
    boolean removeContact(AddressOfRecord aor, String contactKey);

    /** Removes every contact of an AOR; the number removed. */
    int removeAll(AddressOfRecord aor);

    /**
     * A page of AORs that have bindings, in lexical order of (domain, AOR).
     *
     * @param domain only AORs of this domain, if given
     * @param cursor the {@link AorPage#nextCursor()} of the previous page, if any
     * @param limit  page size, 1..1000
     * @throws IllegalArgumentException for a malformed cursor
     */
    AorPage list(Optional<String> domain, Optional<String> cursor, int limit);

    /** Creates a subscriber; false when one with that username and domain exists already. */
    boolean createSubscriber(Subscriber subscriber);

    Optional<Subscriber> findSubscriber(AddressOfRecord aor);

    /** {@link #findSubscriber} without blocking the caller. */
    default CompletionStage<Optional<Subscriber>> findSubscriberAsync(AddressOfRecord aor) {
        try {
            return CompletableFuture.completedFuture(findSubscriber(aor));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Deletes a subscriber and its bindings; true when it existed. */
    boolean deleteSubscriber(AddressOfRecord aor);

    /** Number of AORs with at least one binding (from the listing index; for the gauge). */
    long countAors();

    /** Deletes expired bindings whose expiry is due; returns how many AORs were examined. */
    int sweepExpired(int batchSize);

    /** A cheap round trip to the store, for readiness. */
    boolean ping();
}
