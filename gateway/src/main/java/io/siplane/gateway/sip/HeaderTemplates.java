package io.siplane.gateway.sip;

import java.text.ParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;

import gov.nist.javax.sip.header.HeaderFactoryExt;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;

/**
 * The headers the gateway writes on every forwarded request (Via, Record-Route, Path), built once per host and
 * transport at start and cloned per message: building them anew parses and validates the same host every time.
 * Only the per-message parts (the branch, the flow token as user part) are set on the copy.
 */
final class HeaderTemplates {

    private record Templates(ViaHeader via, RecordRouteHeader recordRoute, Header path) {
    }

    private final Map<String, Map<Transport, Templates>> byHost = new HashMap<>();
    private final String internal;

    HeaderTemplates(SipFactories factories, GatewayAddresses addresses) {
        this.internal = addresses.internal();
        for (String host : new String[] {addresses.external(), addresses.internal()}) {
            Map<Transport, Templates> byTransport = new EnumMap<>(Transport.class);
            for (Transport transport : Transport.values()) {
                byTransport.put(transport, build(factories, addresses, host, transport));
            }
            byHost.put(host, byTransport);
        }
    }

    /** Our Via (RFC 3261 §16.6 step 8) with {@code rport} (RFC 3581 §3) and the given branch. */
    ViaHeader via(String host, Transport transport, String branch) {
        ViaHeader via = (ViaHeader) templates(host, transport).via().clone();
        try {
            via.setBranch(branch);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad branch " + branch, e);
        }
        return via;
    }

    /** {@code Record-Route: <sip:[token@]host:port;transport=t;lr>} (RFC 3261 §16.6 step 4). */
    RecordRouteHeader recordRoute(String host, String token, Transport transport) {
        RecordRouteHeader entry = (RecordRouteHeader) templates(host, transport).recordRoute().clone();
        withUser(((SipURI) entry.getAddress().getURI()), token);
        return entry;
    }

    /** {@code Path: <sip:token@internal:port;transport=t;lr>} (RFC 3327 §5.1). */
    Header path(String token, Transport transport) {
        Header path = (Header) templates(internal, transport).path().clone();
        withUser((SipURI) ((HeaderAddress) path).getAddress().getURI(), token);
        return path;
    }

    private Templates templates(String host, Transport transport) {
        Map<Transport, Templates> byTransport = byHost.get(host);
        if (byTransport == null) {
            throw new IllegalArgumentException(host + " is not an address of this gateway");
        }
        return byTransport.get(transport);
    }

    private static void withUser(SipURI uri, String user) {
        if (user == null) {
            return;
        }
        try {
            uri.setUser(user);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad user part " + user, e);
        }
    }

    private static Templates build(SipFactories factories, GatewayAddresses addresses, String host, Transport transport) {
        try {
            ViaHeader via = factories.headers().createViaHeader(host, addresses.port(), transport.token(), ViaBranches.FORWARD_PREFIX);
            via.setRPort();
            SipURI uri = addresses.uri(host, null, transport);
            RecordRouteHeader recordRoute = factories.headers().createRecordRouteHeader(factories.addresses().createAddress(uri));
            Header path = ((HeaderFactoryExt) factories.headers()).createPathHeader(factories.addresses().createAddress(uri));
            return new Templates(via, recordRoute, path);
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("gateway address " + host + " cannot head a SIP header", e);
        }
    }
}
