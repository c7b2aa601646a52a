package io.siplane.gateway.membership;

/** What probing says about a target. */
public enum TargetState {
    /** Not probed yet: not in rotation until its first answer. */
    UNKNOWN(0),
    /** Answers probes: takes new transactions. */
    UP(1),
    /** Answers probes with 503: no new transactions, but what is in flight on it (CANCEL, ACK, retransmissions) still goes there. */
    DRAINING(2),
    /** Probes unanswered: out of rotation. */
    DOWN(3);

    private final int code;

    TargetState(int code) {
        this.code = code;
    }

    /** Gauge value: 0 unknown, 1 up, 2 draining, 3 down. */
    public int code() {
        return code;
    }
}
