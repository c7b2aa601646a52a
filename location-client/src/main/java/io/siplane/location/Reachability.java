package io.siplane.location;

import java.util.List;

/**
 * What the location store says about reaching an AOR, before a service turns it into SIP: the proxy forks to the
 * bindings, the redirect server lists them in a 302; otherwise 480, 404 or 503 (RFC 3261 §16.5, §21.4).
 */
public sealed interface Reachability {

    /** Registered: the live bindings, in {@link Binding#PREFERENCE_ORDER}. */
    record Registered(List<Binding> bindings) implements Reachability {
        public Registered {
            bindings = List.copyOf(bindings);
        }
    }

    /** A subscriber with no current binding (480 Temporarily Unavailable). */
    record NotRegistered() implements Reachability {
    }

    /** No such subscriber (404 Not Found). */
    record UnknownUser() implements Reachability {
    }

    /** The store cannot answer and nothing usable is cached (503 with Retry-After). */
    record StoreUnavailable() implements Reachability {
    }

    /** Asks {@code lookup} (usually the near-cache) about {@code aor}; never throws for an outage. */
    static Reachability of(BindingLookup lookup, AddressOfRecord aor) {
        try {
            List<Binding> bindings = lookup.lookup(aor);
            if (!bindings.isEmpty()) {
                return new Registered(bindings);
            }
            return lookup.isSubscriber(aor) ? new NotRegistered() : new UnknownUser();
        } catch (LocationUnavailableException e) {
            return new StoreUnavailable();
        }
    }
}
