package io.siplane.proxy.relay;

/** How a request came to this proxy (RFC 3261 §16.4): what route pre-processing found about our Route entries. */
public enum RoutedHere {
    /** Not by a Route of ours. */
    NO,
    /** By a Route naming us that we did not sign: a preloaded (outbound-proxy) Route, or a forged one. */
    PRELOADED,
    /** Along a Record-Route entry we signed for this Call-ID: the route set of a dialog we record-routed. */
    RECORD_ROUTED;

    public boolean any() {
        return this != NO;
    }

    /** The stronger of two findings (several of our entries after double record-routing). */
    public RoutedHere strongest(RoutedHere other) {
        return ordinal() >= other.ordinal() ? this : other;
    }
}
