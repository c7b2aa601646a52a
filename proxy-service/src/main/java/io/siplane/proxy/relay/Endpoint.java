package io.siplane.proxy.relay;

import java.util.function.Supplier;

import io.siplane.sip.SipEndpoint;

/**
 * The SIP endpoint, fetched on first use: the endpoint's dispatcher needs the proxy's handlers, which send through the
 * endpoint, so the handlers cannot receive it at construction.
 */
public final class Endpoint implements Supplier<SipEndpoint> {

    private final Supplier<SipEndpoint> source;
    private volatile SipEndpoint endpoint;

    public Endpoint(Supplier<SipEndpoint> source) {
        this.source = source;
    }

    @Override
    public SipEndpoint get() {
        SipEndpoint e = endpoint;
        if (e == null) {
            e = source.get();
            endpoint = e;
        }
        return e;
    }
}
