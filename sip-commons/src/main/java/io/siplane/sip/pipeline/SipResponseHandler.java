package io.siplane.sip.pipeline;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/**
 * Receives what comes back for the requests a service sends: responses (with their {@code ClientTransaction}, or
 * without one when the request was forwarded statelessly), transaction timeouts (RFC 3261 §17.1 timers B and F) and
 * transport errors. A stateful proxy implements this to relay responses and cancel losing branches; services that
 * only answer need none. At most one bean per application.
 */
public interface SipResponseHandler {

    /** A response from the JAIN-SIP RI (the proxy): with its client transaction when it has one. */
    default void processResponse(ResponseEvent event) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " takes responses from the Netty transport only");
    }

    /**
     * A response received by a transport of our own (Netty), for a request sent statelessly through a
     * {@code SipSender}. Runs on the event loop that read it: never block.
     */
    default void onResponse(IncomingResponse response) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " takes responses from the JAIN-SIP RI only");
    }

    default void processTimeout(TimeoutEvent event) throws Exception {
    }

    default void processTransactionTerminated(TransactionTerminatedEvent event) throws Exception {
    }

    default void processDialogTerminated(DialogTerminatedEvent event) throws Exception {
    }

    default void processIOException(IOExceptionEvent event) throws Exception {
    }
}
