package io.siplane.testsupport.sip;

import java.text.ParseException;

import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** A request the test user agent received (from a proxy, redirect server, gateway…); answer it with {@link #respond}. */
public final class ReceivedRequest {

    private final RequestEvent event;
    private final MessageFactory messages;
    private ServerTransaction transaction;

    ReceivedRequest(RequestEvent event, MessageFactory messages) {
        this.event = event;
        this.messages = messages;
        this.transaction = event.getServerTransaction();
    }

    public Request request() {
        return event.getRequest();
    }

    public String method() {
        return event.getRequest().getMethod();
    }

    /** A response to complete and pass to {@link #respond(Response)}; a To-tag is added above 100. */
    public Response response(int status) {
        try {
            Response r = messages.createResponse(status, event.getRequest());
            ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (status > 100 && to != null && to.getTag() == null) {
                to.setTag("uas" + Integer.toHexString(System.identityHashCode(this)));
            }
            return r;
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Answers through a server transaction (created on first use), so retransmissions are absorbed. */
    public synchronized void respond(Response response) {
        if (Request.ACK.equals(method())) {
            return;
        }
        try {
            if (transaction == null) {
                transaction = ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
            }
            transaction.sendResponse(response);
        } catch (SipException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot answer " + method() + ": " + e.getMessage(), e);
        }
    }

    public void respond(int status) {
        respond(response(status));
    }
}
