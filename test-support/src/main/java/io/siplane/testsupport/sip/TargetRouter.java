package io.siplane.testsupport.sip;

import java.util.ListIterator;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;

/**
 * The test user agent's router (JAIN-SIP {@code javax.sip.ROUTER_PATH}): a request goes to the target given for
 * this send, else to the agent's default target, else where Route / Request-URI say (RFC 3261 §8.1.2).
 */
public final class TargetRouter implements Router {

    private static final ThreadLocal<SipTarget> PER_SEND = new ThreadLocal<>();
    private final DefaultRouter fallback;
    private volatile SipTarget defaultTarget;
    private volatile String transport = "udp";

    public TargetRouter(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
    }

    void configure(String transport, SipTarget defaultTarget) {
        this.transport = transport;
        this.defaultTarget = defaultTarget;
    }

    void setDefaultTarget(SipTarget target) {
        this.defaultTarget = target;
    }

    /** Runs {@code send} (which asks the stack for a next hop synchronously) with {@code target} as next hop. */
    static <T> T with(SipTarget target, SendAction<T> send) throws SipException {
        SipTarget previous = PER_SEND.get();
        PER_SEND.set(target);
        try {
            return send.run();
        } finally {
            if (previous == null) {
                PER_SEND.remove();
            } else {
                PER_SEND.set(previous);
            }
        }
    }

    interface SendAction<T> {
        T run() throws SipException;
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        SipTarget target = PER_SEND.get() != null ? PER_SEND.get() : defaultTarget;
        if (target != null) {
            return new HopImpl(target.host(), target.port(), transport);
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
