package io.siplane.gateway.sip;

import java.util.ListIterator;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.DefaultRouter;

/**
 * The gateway stack's router ({@code javax.sip.ROUTER_PATH}): a request goes to the {@link Hop} the forwarding logic
 * stored on it ({@link #sendTo}), so a replica can be chosen without writing a Route the replica would see. Anything
 * else falls back to the RI's RFC 3261 §8.1.2 routing.
 */
public final class HopRouter implements Router {

    private final DefaultRouter fallback;

    public HopRouter(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
    }

    /** Marks {@code request} to be sent to {@code hop}. */
    public static void sendTo(Request request, Hop hop) {
        ((SIPMessage) request).setApplicationData(hop);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (((SIPMessage) request).getApplicationData() instanceof Hop hop) {
            return hop;
        }
        return fallback.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return fallback.getOutboundProxy();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ListIterator<?> getNextHops(Request request) {
        return fallback.getNextHops(request);
    }
}
