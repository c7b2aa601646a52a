package io.siplane.proxy.routing;

import java.util.List;

/** What target resolution (RFC 3261 §16.5) found for a Request-URI, before it becomes branches or a SIP status. */
public sealed interface Resolution {

    /** Fork to these, highest q first. */
    record Targets(List<ContactTarget> targets) implements Resolution {
        public Targets {
            if (targets == null || targets.isEmpty()) {
                throw new IllegalArgumentException("at least one target");
            }
            targets = List.copyOf(targets);
        }
    }

    /** No such user here: 404. */
    record UnknownUser() implements Resolution {
    }

    /** A subscriber without a current binding: 480 Temporarily Unavailable. */
    record NotRegistered() implements Resolution {
    }

    /** A domain that is not ours, and this proxy is no open relay: 403. */
    record RelayDenied() implements Resolution {
    }

    /** The location store cannot answer and nothing usable is cached: 503 with Retry-After. */
    record StoreUnavailable() implements Resolution {
    }
}
