package io.siplane.location;

import java.util.List;
import java.util.Optional;

/**
 * The location store: bindings AOR → contacts, and subscribers. Implementations talk to Redis
 * directly; every call is bounded in time and fails with {@link LocationUnavailableException}.
 */
public interface LocationStore extends BindingLookup {

    /** Applies one REGISTER's changes atomically (RFC 3261 §10.3 steps 6–8), or reports why not. */
    RegisterResult register(RegisterUpdate update);

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

    /** Deletes a subscriber and its bindings; true when it existed. */
    boolean deleteSubscriber(AddressOfRecord aor);

    /** Number of AORs with at least one binding (from the listing index; for the gauge). */
    long countAors();

    /** Deletes expired bindings whose expiry is due; returns how many AORs were examined. */
    int sweepExpired(int batchSize);

    /** A cheap round trip to the store, for readiness. */
    boolean ping();

    /** Bindings of one AOR without the near-cache (for REST and the registrar's answers). */
    default List<Binding> lookupUncached(AddressOfRecord aor) {
        return lookup(aor);
    }
}
