package io.siplane.proxy.sip.relay;

import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.TooManyHopsException;
import javax.sip.message.Request;

import io.siplane.proxy.relay.RecordRouteSignature;
import io.siplane.proxy.routing.ContactTarget;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.transport.HopRouter;
import io.siplane.sip.transport.NextHop;
import io.siplane.sip.transport.ProviderSender;

/**
 * Copies a received request for one target (RFC 3261 §16.6 steps 1–8): new Request-URI, Max-Forwards, Record-Route,
 * the target's Path as Route, strict-route fix-up, next hop, our Via. The copy carries its next hop for the stack's
 * {@link HopRouter}; {@link Outgoing#provider()} is the one of the hop's transport (for a client transaction).
 */
public final class RequestCopier {

    /** Methods that can create a dialog, whose forwarded copies get our Record-Route when it is on (RFC 3261 §16.6 step 4). */
    static final Set<String> DIALOG_CREATING = Set.of(Request.INVITE, Request.SUBSCRIBE, Request.REFER, Request.NOTIFY);
    static final int DEFAULT_MAX_FORWARDS = 70;

    /** A prepared copy, its next hop and the provider that sends over the hop's transport. */
    public record Outgoing(Request request, NextHop hop, SipProvider provider) {
    }

    private final ProviderSender sender;
    private final AdvertisedAddress advertised;
    private final RecordRouteSignature signature;
    private final SipFactories factories = SipFactories.get();

    public RequestCopier(ProviderSender sender, AdvertisedAddress advertised, RecordRouteSignature signature) {
        this.sender = sender;
        this.advertised = advertised;
        this.signature = signature;
    }

    /**
     * @param request         the received request after route pre-processing (left untouched)
     * @param target          where this copy goes
     * @param branch          the Via branch of the copy
     * @param recordRouteFrom the transport the request arrived on, when this copy must be record-routed
     */
    public Outgoing prepare(Request request, ContactTarget target, String branch, Optional<Transport> recordRouteFrom)
            throws Unroutable {
        Request copy = (Request) request.clone();
        try {
            if (!target.uri().equals(copy.getRequestURI().toString())) {
                copy.setRequestURI(factories.addresses().createURI(target.uri()));
            }
            decrementMaxForwards(copy);
            List<String> routes = target.routes();
            for (int i = routes.size() - 1; i >= 0; i--) {
                copy.addFirst(factories.headers().createHeader(RouteHeader.NAME, routes.get(i)));
            }
            fixStrictRoute(copy);
            NextHop hop = target.flow().isPresent() ? target.flow().get() : nextHopOf(copy);
            Transport transport = hop.transport();
            SipProvider provider = sender.provider(transport);
            if (recordRouteFrom.isPresent() && DIALOG_CREATING.contains(copy.getMethod())) {
                addRecordRoute(copy, recordRouteFrom.get(), transport);
            }
            copy.addFirst(advertised.via(transport, branch));
            HopRouter.sendTo(copy, hop);
            return new Outgoing(copy, hop, provider);
        } catch (ParseException | SipException | InvalidArgumentException | ClassCastException e) {
            throw new Unroutable("cannot forward to " + target.uri() + ": " + e.getMessage(), e);
        }
    }

    /** RFC 3261 §16.6 step 3: one less hop, or 70 when the request had no Max-Forwards. */
    private static void decrementMaxForwards(Request copy) throws InvalidArgumentException, TooManyHopsException {
        MaxForwardsHeader mf = (MaxForwardsHeader) copy.getHeader(MaxForwardsHeader.NAME);
        if (mf == null) {
            copy.setHeader(SipFactories.get().headers().createMaxForwardsHeader(DEFAULT_MAX_FORWARDS));
        } else {
            mf.decrementMaxForwards();
        }
    }

    /**
     * RFC 3261 §16.6 step 4 with RFC 5658 double record-routing: when the copy leaves on another transport than the
     * request came in on, each side of the proxy gets its own entry, so that in-dialog requests from either end
     * arrive on the right transport.
     */
    private void addRecordRoute(Request copy, Transport inbound, Transport outbound) throws SipException, ParseException {
        String signed = signature.sign(((CallIdHeader) copy.getHeader(CallIdHeader.NAME)).getCallId());
        if (inbound != outbound) {
            copy.addFirst(recordRoute(inbound, signed));
        }
        copy.addFirst(recordRoute(outbound, signed));
    }

    /** Our advertised URI, signed for the dialog: in-dialog requests are relayed only along such an entry. */
    private RecordRouteHeader recordRoute(Transport transport, String signed) throws ParseException {
        SipURI uri = advertised.uri(transport);
        uri.setParameter(RecordRouteSignature.PARAMETER, signed);
        return factories.headers().createRecordRouteHeader(factories.addresses().createAddress(uri));
    }

    /**
     * RFC 3261 §16.6 step 6: a first Route without {@code lr} is a strict router, which expects its URI as the
     * Request-URI; the Request-URI moves to the end of the Route set.
     */
    private void fixStrictRoute(Request copy) throws SipException, ParseException {
        RouteHeader top = (RouteHeader) copy.getHeader(RouteHeader.NAME);
        if (top == null || !(top.getAddress().getURI() instanceof SipURI uri) || uri.hasLrParam()) {
            return;
        }
        Header last = factories.headers().createRouteHeader(factories.addresses().createAddress(copy.getRequestURI()));
        copy.removeFirst(RouteHeader.NAME);
        copy.setRequestURI(uri);
        copy.addLast(last);
    }

    /** RFC 3261 §16.6 step 7 without DNS SRV: the first Route, else the Request-URI; its transport parameter or UDP. */
    static NextHop nextHopOf(Request request) throws Unroutable {
        RouteHeader top = (RouteHeader) request.getHeader(RouteHeader.NAME);
        URI uri = top != null ? top.getAddress().getURI() : request.getRequestURI();
        if (!(uri instanceof SipURI sip)) {
            throw new Unroutable("no SIP URI to send to: " + uri);
        }
        String token = sip.getTransportParam() != null ? sip.getTransportParam().toLowerCase(Locale.ROOT)
                : sip.isSecure() ? "tls" : "udp";
        Transport transport = Transport.fromToken(token)
                .orElseThrow(() -> new Unroutable("transport " + token + " is not supported"));
        String host = sip.getMAddrParam() != null ? sip.getMAddrParam() : sip.getHost();
        int port = sip.getPort() > 0 ? sip.getPort() : transport == Transport.TLS ? 5061 : 5060;
        try {
            return new NextHop(host, port, transport);
        } catch (IllegalArgumentException e) {
            throw new Unroutable("bad next hop " + uri, e);
        }
    }
}
