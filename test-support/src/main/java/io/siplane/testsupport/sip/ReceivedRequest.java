package io.siplane.testsupport.sip;

import java.text.ParseException;

import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** A request the test user agent received (from a proxy, redirect server, gateway…); answer it with {@link #respond}. */
public final class ReceivedRequest {

    private final RequestEvent event;
    private final TestUserAgent.Factories factories;
    private final String contactUri;
    private ServerTransaction transaction;
    private volatile boolean finalResponseSent;

    ReceivedRequest(RequestEvent event, TestUserAgent.Factories factories, String contactUri) {
        this.event = event;
        this.factories = factories;
        this.contactUri = contactUri;
        this.transaction = event.getServerTransaction();
    }

    public Request request() {
        return event.getRequest();
    }

    public String method() {
        return event.getRequest().getMethod();
    }

    /**
     * A response to complete and pass to {@link #respond(Response)}: a To-tag above 100, and this agent's Contact on
     * a 2xx to INVITE (RFC 3261 §13.3.1.4) so that the caller can ACK and talk to it directly.
     */
    public Response response(int status) {
        try {
            Response r = factories.messages().createResponse(status, event.getRequest());
            ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (status > 100 && to != null && to.getTag() == null) {
                to.setTag("uas" + Integer.toHexString(System.identityHashCode(this)));
            }
            if (status / 100 == 2 && Request.INVITE.equals(method())) {
                r.setHeader(factories.headers().createContactHeader(factories.addresses().createAddress(contactUri)));
            }
            return r;
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Whether a final response went out through {@link #respond}. */
    public boolean finalResponseSent() {
        return finalResponseSent;
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
            if (response.getStatusCode() >= 200) {
                finalResponseSent = true;
            }
        } catch (SipException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot answer " + method() + ": " + e.getMessage(), e);
        }
    }

    public void respond(int status) {
        respond(response(status));
    }
}
