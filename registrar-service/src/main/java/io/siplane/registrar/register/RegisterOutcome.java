package io.siplane.registrar.register;

import java.util.List;

import io.siplane.location.Binding;
import io.siplane.sip.digest.DigestChallenge;

/** What the registrar answers to a REGISTER; the SIP adapter turns it into a response. */
public sealed interface RegisterOutcome {

    /** The status code of the response. */
    int status();

    /** 200: the AOR's current bindings (step 8), and the Path to echo when the client supports it (RFC 3327 §5.3). */
    record Registered(List<Binding> bindings, List<String> echoedPath) implements RegisterOutcome {
        public Registered {
            bindings = List.copyOf(bindings);
            echoedPath = List.copyOf(echoedPath);
        }

        @Override
        public int status() {
            return 200;
        }
    }

    /** 401 with these challenges (step 3). */
    record Challenge(List<DigestChallenge> challenges) implements RegisterOutcome {
        public Challenge {
            challenges = List.copyOf(challenges);
        }

        @Override
        public int status() {
            return 401;
        }
    }

    /** 423 with Min-Expires (step 6). */
    record IntervalTooBrief(int minExpires) implements RegisterOutcome {
        @Override
        public int status() {
            return 423;
        }
    }

    /** 500 with Retry-After: the location store could not be read or written; nothing was stored. */
    record StoreUnavailable(int retryAfterSeconds) implements RegisterOutcome {
        @Override
        public int status() {
            return 500;
        }
    }

    /** Any other refusal: 400, 403, 404, or 500 for a stale CSeq. */
    record Refused(int status, String reason) implements RegisterOutcome {
    }
}
