package io.siplane.proxy.fork;

/**
 * What a branch's final response does to the whole forked request (RFC 3261 §16.7 steps 4 and 5).
 */
public enum FinalEffect {

    /** A 2xx: forwarded at once (for INVITE, every one); the other branches are cancelled and the search stops. */
    ANSWERED,
    /** A 6xx: forwarded at once without waiting for the others, which are cancelled; the search stops. */
    GLOBAL_FAILURE,
    /** 3xx–5xx: kept; when no branch is left the best of them is sent ({@link BestResponse}). */
    KEPT;

    public static FinalEffect of(int status) {
        if (status < 200) {
            throw new IllegalArgumentException("not a final status: " + status);
        }
        if (status < 300) {
            return ANSWERED;
        }
        return status >= 600 ? GLOBAL_FAILURE : KEPT;
    }
}
