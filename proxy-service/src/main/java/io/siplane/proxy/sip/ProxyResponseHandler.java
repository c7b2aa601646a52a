package io.siplane.proxy.sip;

import javax.sip.ClientTransaction;
import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

import io.siplane.proxy.sip.fork.ForkContext;
import io.siplane.proxy.sip.relay.StatelessRelay;
import io.siplane.sip.pipeline.SipResponseHandler;

/**
 * What comes back from downstream: a response of one of our branches goes to its {@link ForkContext}
 * (RFC 3261 §16.7); a response without client transaction is relayed statelessly; the answers to our own CANCELs end
 * here. Timeouts, transport errors and ended transactions of branches reach their context too.
 */
public final class ProxyResponseHandler implements SipResponseHandler {

    private final StatelessRelay relay;

    public ProxyResponseHandler(StatelessRelay relay) {
        this.relay = relay;
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null) {
            relay.relayResponse(event.getResponse());
        } else if (ct.getApplicationData() instanceof ForkContext context) {
            context.onResponse(ct, event.getResponse());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction().getApplicationData() instanceof ForkContext context) {
            context.onTimeout(event.getClientTransaction());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        if (event.getSource() instanceof ClientTransaction ct && ct.getApplicationData() instanceof ForkContext context) {
            context.onTransportError(ct);
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction().getApplicationData() instanceof ForkContext context) {
            context.onTerminated(event.getClientTransaction());
        }
    }
}
