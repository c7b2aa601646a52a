package io.siplane.proxy.sip;

import javax.sip.ClientTransaction;
import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

import io.siplane.proxy.fork.Branch;
import io.siplane.proxy.relay.StatelessRelay;
import io.siplane.sip.pipeline.SipResponseHandler;

/**
 * What comes back from downstream: a response of one of our branches goes to its {@link io.siplane.proxy.fork.ForkContext}
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
        } else if (ct.getApplicationData() instanceof Branch branch) {
            branch.context().onResponse(branch, event.getResponse());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction().getApplicationData() instanceof Branch branch) {
            branch.context().onTimeout(branch);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        if (event.getSource() instanceof ClientTransaction ct && ct.getApplicationData() instanceof Branch branch) {
            branch.context().onTransportError(branch);
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction().getApplicationData() instanceof Branch branch) {
            branch.context().onTerminated(branch);
        }
    }
}
