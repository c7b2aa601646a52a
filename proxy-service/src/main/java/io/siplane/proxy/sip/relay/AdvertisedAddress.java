package io.siplane.proxy.sip.relay;

import java.text.ParseException;

import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;

import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.Transport;

/**
 * The proxy's own address as it writes it into the requests it forwards (Via, Record-Route) and recognises it in the
 * responses that come back. Built from the configuration alone, so the request chain needs no reference to the
 * running endpoint.
 */
public final class AdvertisedAddress {

    private final SipProperties properties;
    private final SipFactories factories;

    public AdvertisedAddress(SipProperties properties, SipFactories factories) {
        this.properties = properties;
        this.factories = factories;
    }

    /** Our Via on a copy sent over {@code transport}, with {@code rport} (RFC 3261 §16.6 step 8, RFC 3581 §3). */
    public ViaHeader via(Transport transport, String branch) throws ParseException, InvalidArgumentException {
        ViaHeader via = factories.headers().createViaHeader(properties.advertisedHost(), properties.advertisedPort(transport),
                transport.token(), branch);
        via.setRPort();
        return via;
    }

    /** Our loose-routing URI on {@code transport} for Record-Route (RFC 3261 §16.6 step 4). */
    public SipURI uri(Transport transport) throws ParseException {
        SipURI uri = factories.addresses().createSipURI(null, properties.advertisedHost());
        uri.setPort(properties.advertisedPort(transport));
        uri.setTransportParam(transport.token());
        uri.setLrParam();
        return uri;
    }

    /** Whether a Via's sent-by is this proxy's (the Via a response carries back to us). */
    public boolean isOurs(ViaHeader via) {
        int port = via.getPort() > 0 ? via.getPort() : 5060;
        return via.getHost().equalsIgnoreCase(properties.advertisedHost()) && port == properties.effectiveAdvertisedPort();
    }
}
