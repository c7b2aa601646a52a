package io.siplane.gateway.membership;

import java.util.Locale;

/** The two kinds of replicas behind the gateway. */
public enum PoolRole {
    /** REGISTER goes here. */
    REGISTRAR,
    /** Every other request that needs a location lookup goes here. */
    PROXY;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
