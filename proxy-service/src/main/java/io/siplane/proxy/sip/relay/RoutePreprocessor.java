package io.siplane.proxy.sip.relay;

import java.util.List;

import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

import io.siplane.proxy.relay.RecordRouteSignature;
import io.siplane.proxy.relay.RoutedHere;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.sip.message.SipHeaders;

/**
 * Route information pre-processing (RFC 3261 §16.4): a Request-URI that is our own Record-Route entry (the previous
 * hop was a strict router) is replaced by the last Route value; every Route entry at the top that names this proxy
 * is removed (two of them after double record-routing).
 */
public final class RoutePreprocessor {

    private final LocalDomains domains;
    private final RecordRouteSignature signature;

    public RoutePreprocessor(LocalDomains domains, RecordRouteSignature signature) {
        this.domains = domains;
        this.signature = signature;
    }

    /** Applies §16.4 to {@code request} in place; says whether (and how) a Route or Record-Route of ours brought it. */
    public RoutedHere apply(Request request) {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        RoutedHere routedHere = RoutedHere.NO;
        if (request.getRequestURI() instanceof SipURI uri && uri.getUser() == null
                && domains.isOwnAddress(uri.getHost(), uri.getPort())) {
            List<RouteHeader> routes = SipHeaders.all(request, RouteHeader.NAME, RouteHeader.class);
            if (!routes.isEmpty()) {
                routedHere = routedHere.strongest(signed(uri, callId));
                request.setRequestURI(routes.get(routes.size() - 1).getAddress().getURI());
                request.removeLast(RouteHeader.NAME);
            }
        }
        RouteHeader top;
        while ((top = (RouteHeader) request.getHeader(RouteHeader.NAME)) != null && namesThisProxy(top)) {
            routedHere = routedHere.strongest(signed((SipURI) top.getAddress().getURI(), callId));
            request.removeFirst(RouteHeader.NAME);
        }
        return routedHere;
    }

    /** Our address on our port, or one of our domains without a user part (an outbound-proxy setting). */
    boolean namesThisProxy(RouteHeader route) {
        if (!(route.getAddress().getURI() instanceof SipURI uri)) {
            return false;
        }
        return domains.isOwnAddress(uri.getHost(), uri.getPort()) || uri.getUser() == null && domains.isDomain(uri.getHost());
    }

    private RoutedHere signed(SipURI ours, String callId) {
        return signature.verify(ours.getParameter(RecordRouteSignature.PARAMETER), callId) ? RoutedHere.RECORD_ROUTED
                : RoutedHere.PRELOADED;
    }
}
