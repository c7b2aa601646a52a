package gov.nist.javax.sip.stack;

import java.util.Properties;

import io.siplane.sip.tcp.GuardedNetworkLayer;
import io.siplane.sip.tcp.TcpLimits;

/**
 * Puts {@link GuardedNetworkLayer} under a stack's TCP listening points (Siplane; in the RI's package because the
 * stack's network layer and connection limit are package-level fields).
 */
public final class TcpGuards {

    /** Room above our own limit so that the RI never stops accepting before {@link GuardedNetworkLayer} evicts. */
    private static final int RI_HEADROOM = 64;

    private TcpGuards() {
    }

    /** Idempotent: call before the stack's TCP listening point starts. */
    public static synchronized void install(SIPTransactionStack stack, Properties configuration) {
        if (stack.networkLayer instanceof GuardedNetworkLayer) {
            return;
        }
        TcpLimits limits = TcpLimits.from(configuration);
        stack.networkLayer = new GuardedNetworkLayer(stack.getNetworkLayer(), limits);
        if (stack.maxConnections > 0 && limits.maxConnections() < Integer.MAX_VALUE - RI_HEADROOM) {
            stack.maxConnections = limits.maxConnections() + RI_HEADROOM;
        }
    }
}
