package io.siplane.proxy.relay;

import java.util.ListIterator;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

import gov.nist.javax.sip.message.MessageExt;
import gov.nist.javax.sip.stack.DefaultRouter;

/**
 * The proxy's JAIN-SIP router ({@code javax.sip.ROUTER_PATH}): a request the {@link RequestForwarder} prepared carries
 * its next hop in its application data (the forwarder has decided it: Route, Request-URI, or a NAT flow), and the
 * stack sends it there. Anything else (a CANCEL reuses its INVITE's channel anyway) goes where RFC 3261 §8.1.2 says.
 */
public final class ProxyRouter implements Router {

    private final DefaultRouter fallback;

    public ProxyRouter(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request instanceof MessageExt ext && ext.getApplicationData() instanceof Hop hop) {
            return hop;
        }
        return fallback.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return null;
    }

    @Override
    @SuppressWarnings("deprecation")
    public ListIterator<?> getNextHops(Request request) {
        return fallback.getNextHops(request);
    }
}
