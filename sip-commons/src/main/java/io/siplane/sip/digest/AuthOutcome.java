package io.siplane.sip.digest;

/** The result of checking a request's digest credentials. */
public sealed interface AuthOutcome {

    /** The credentials are right, fresh and not replayed. */
    record Authenticated(String username, String realm, DigestAlgorithm algorithm) implements AuthOutcome {
    }

    /**
     * Answer 401/407 with fresh challenges: {@link #stale()} tells the client its credentials were right but the
     * nonce is no longer usable, so it may retry without asking its user (RFC 7616 §3.3).
     */
    record Challenge(Reason reason) implements AuthOutcome {
        public boolean stale() {
            return reason == Reason.STALE_NONCE || reason == Reason.REPLAYED_NONCE_COUNT;
        }
    }

    /**
     * Too many failures recently for this user from this client address, or from this address whatever the users:
     * refuse (403) without looking at the credentials.
     */
    record LockedOut() implements AuthOutcome {
    }

    /** Credentials that can never be right for this request (their {@code uri} names another resource): 400. */
    record BadRequest(String reason) implements AuthOutcome {
    }

    /** Why a challenge is sent; {@link #BAD_CREDENTIALS} counts towards the lockout. */
    enum Reason {
        /** No credentials for this realm (the normal first request). */
        NO_CREDENTIALS,
        /** Credentials that cannot be checked: unknown algorithm, qop other than auth, missing nc/cnonce. */
        MALFORMED,
        /** A nonce we did not issue (or issued for another realm). */
        INVALID_NONCE,
        /** Wrong password, or unknown user: the two are indistinguishable on the wire. */
        BAD_CREDENTIALS,
        /** Right credentials on an expired nonce. */
        STALE_NONCE,
        /** Right credentials, but the nonce-count was used before by another request. */
        REPLAYED_NONCE_COUNT
    }
}
