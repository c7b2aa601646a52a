package io.siplane.testsupport.sip;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * One side of a dialog set up by an INVITE (RFC 3261 §12), for sending in-dialog requests such as BYE: Request-URI =
 * the remote target, Route = the route set, From/To with both tags, the local CSeq. Either party may send: the
 * caller's side comes from the 2xx it received, the callee's from the INVITE it answered.
 */
public final class Dialog {

    private final TestUserAgent ua;
    private final String callId;
    private final Address localAddress;
    private final String localTag;
    private final Address remoteAddress;
    private final String remoteTag;
    private final URI remoteTarget;
    private final List<Address> routeSet;

    private Dialog(TestUserAgent ua, String callId, HeaderAddress local, String localTag, HeaderAddress remote,
            String remoteTag, URI remoteTarget, List<Address> routeSet) {
        this.ua = ua;
        this.callId = callId;
        this.localAddress = local.getAddress();
        this.localTag = localTag;
        this.remoteAddress = remote.getAddress();
        this.remoteTag = remoteTag;
        this.remoteTarget = remoteTarget;
        this.routeSet = List.copyOf(routeSet);
    }

    /** The caller's side (RFC 3261 §12.1.2): route set = the 2xx's Record-Route reversed, remote target = its Contact. */
    public static Dialog asCaller(TestUserAgent ua, Request invite, Response ok) {
        List<Address> routes = recordRoutes(ok);
        Collections.reverse(routes);
        ToHeader to = (ToHeader) ok.getHeader(ToHeader.NAME);
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        return new Dialog(ua, callId(invite), from, from.getTag(), to, to.getTag(), contact(ok), routes);
    }

    /**
     * The callee's side (RFC 3261 §12.1.1): route set = the INVITE's Record-Route in order, remote target = its
     * Contact, local tag = the To-tag of the 2xx sent.
     */
    public static Dialog asCallee(TestUserAgent ua, Request invite, Response ok) {
        ToHeader to = (ToHeader) ok.getHeader(ToHeader.NAME);
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        return new Dialog(ua, callId(invite), to, to.getTag(), from, from.getTag(), contact(invite), recordRoutes(invite));
    }

    /** A new in-dialog request of {@code method} with the next local CSeq. */
    public Request request(String method) {
        TestUserAgent.Factories f = ua.factories();
        try {
            Request request = f.messages().createRequest(remoteTarget, method,
                    f.headers().createCallIdHeader(callId),
                    f.headers().createCSeqHeader(ua.nextCSeq(callId), method),
                    f.headers().createFromHeader(localAddress, localTag),
                    f.headers().createToHeader(remoteAddress, remoteTag),
                    new ArrayList<>(List.of(ua.newVia())),
                    f.headers().createMaxForwardsHeader(70));
            for (Address route : routeSet) {
                request.addHeader(f.headers().createRouteHeader(route));
            }
            request.addHeader(f.headers().createContactHeader(f.addresses().createAddress(ua.contactUri(ua.defaultUser()))));
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build " + method + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code request} through a client transaction to its next hop: the first Route, else the remote target. */
    public CompletableFuture<Response> sendAsync(Request request) {
        return ua.sendAsync(request, nextHop(request));
    }

    /** Builds and sends {@code method}; the final response. */
    public CompletableFuture<Response> sendAsync(String method) {
        return sendAsync(request(method));
    }

    /** RFC 3261 §12.2.1.1 with loose routing: the first Route entry, else the Request-URI. */
    public static SipTarget nextHop(Request request) {
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        SipURI next = (SipURI) (route != null ? route.getAddress().getURI() : request.getRequestURI());
        return new SipTarget(next.getHost(), next.getPort() > 0 ? next.getPort() : 5060);
    }

    public String callId() {
        return callId;
    }

    public URI remoteTarget() {
        return remoteTarget;
    }

    /** The route set, as Route values in sending order. */
    public List<String> routeSet() {
        return routeSet.stream().map(Address::toString).toList();
    }

    private static List<Address> recordRoutes(javax.sip.message.Message message) {
        List<Address> routes = new ArrayList<>();
        message.getHeaders(RecordRouteHeader.NAME).forEachRemaining(h -> routes.add(((RecordRouteHeader) h).getAddress()));
        return routes;
    }

    private static URI contact(javax.sip.message.Message message) {
        ContactHeader contact = (ContactHeader) message.getHeader(ContactHeader.NAME);
        if (contact == null) {
            throw new IllegalArgumentException("no Contact: cannot tell the remote target of the dialog");
        }
        return contact.getAddress().getURI();
    }

    private static String callId(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    @Override
    public String toString() {
        return "Dialog[" + callId + ", local " + localTag + ", remote " + remoteTag + ", target " + remoteTarget + "]";
    }
}
