package io.siplane.sip.transport;

import java.util.ListIterator;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;

/**
 * The router of every JAIN-SIP RI stack we start ({@code javax.sip.ROUTER_PATH}, set by {@code SipEndpoint}): a
 * request goes to the hop the forwarding logic stored on it ({@link #sendTo}), so a next hop can be chosen (a
 * replica, a NAT flow, a Route) without writing a Route the next element would see. Anything else (a CANCEL reuses
 * its INVITE's hop anyway) goes where RFC 3261 §8.1.2 says.
 */
public final class HopRouter implements Router {

    private final DefaultRouter fallback;

    public HopRouter(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
    }

    /** Marks {@code request} to be sent to {@code hop}. */
    public static void sendTo(Request request, NextHop hop) {
        ((SIPMessage) request).setApplicationData(new HopImpl(hop.host(), hop.port(), hop.transport().token()));
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
        return null;
    }

    @Override
    @SuppressWarnings("deprecation")
    public ListIterator<?> getNextHops(Request request) {
        return fallback.getNextHops(request);
    }
}
