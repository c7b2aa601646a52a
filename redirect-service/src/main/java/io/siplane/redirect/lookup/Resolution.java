package io.siplane.redirect.lookup;

import java.util.List;

import io.siplane.location.Binding;

/** What the location store says about a Request-URI, before it becomes a SIP status. */
public sealed interface Resolution {

    /** Registered: redirect to these contacts (RFC 3261 §21.3.3 302). */
    record Contacts(List<Binding> bindings) implements Resolution {
        public Contacts {
            bindings = List.copyOf(bindings);
        }
    }

    /** No such user (404). */
    record UnknownUser() implements Resolution {
    }

    /** A subscriber with no current binding (480 Temporarily Unavailable). */
    record NotRegistered() implements Resolution {
    }

    /** The store cannot answer and nothing usable is cached (503 with Retry-After). */
    record StoreUnavailable() implements Resolution {
    }
}
