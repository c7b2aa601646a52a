package io.siplane.proxy.relay;

import java.util.List;

import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

import io.siplane.proxy.routing.LocalDomains;
import io.siplane.sip.message.SipHeaders;

/**
 * Route information pre-processing (RFC 3261 §16.4): a Request-URI that is our own Record-Route entry (the previous
 * hop was a strict router) is replaced by the last Route value; every Route entry at the top that names this proxy
 * is removed (two of them after double record-routing).
 */
public final class RoutePreprocessor {

    private final LocalDomains domains;

    public RoutePreprocessor(LocalDomains domains) {
        this.domains = domains;
    }

    /** Applies §16.4 to {@code request} in place; true when the request was routed to us by a Route or Record-Route of ours. */
    public boolean apply(Request request) {
        boolean routedHere = false;
        if (request.getRequestURI() instanceof SipURI uri && uri.getUser() == null
                && domains.isOwnAddress(uri.getHost(), uri.getPort())) {
            List<RouteHeader> routes = SipHeaders.all(request, RouteHeader.NAME, RouteHeader.class);
            if (!routes.isEmpty()) {
                request.setRequestURI(routes.get(routes.size() - 1).getAddress().getURI());
                request.removeLast(RouteHeader.NAME);
                routedHere = true;
            }
        }
        RouteHeader top;
        while ((top = (RouteHeader) request.getHeader(RouteHeader.NAME)) != null && namesThisProxy(top)) {
            request.removeFirst(RouteHeader.NAME);
            routedHere = true;
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
}
