package io.siplane.sip.pipeline;

import java.text.ParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ServerHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SipResponses;
import io.siplane.sip.message.SourceAddress;

/**
 * One received request and the ways to answer it, whichever engine received it. From the Netty transport an answer
 * goes back through the {@link Responder} it gave (the socket or connection the request came on). From the JAIN-SIP
 * RI (the proxy) answers go out statelessly through the {@link SipProvider} unless the handler asked for a
 * {@link #serverTransaction() server transaction} first.
 */
public final class IncomingRequest {

    /** How a stateless answer leaves: given by the engine that received the request. */
    @FunctionalInterface
    public interface Responder {
        void send(Response response) throws SipException;
    }

    private final Request request;
    private final RequestEvent event;
    private final SipProvider provider;
    private final Responder responder;
    private final SourceAddress source;
    private final SipFactories factories;
    private final String serverName;
    private final AtomicBoolean finalResponseSent = new AtomicBoolean();
    private volatile ServerTransaction serverTransaction;
    private Object state;

    /** A request received by the JAIN-SIP RI: answered through {@code provider} or a server transaction. */
    public IncomingRequest(RequestEvent event, SipProvider provider, SourceAddress source, SipFactories factories,
            String serverName) {
        this.request = event.getRequest();
        this.event = event;
        this.provider = provider;
        this.responder = provider::sendResponse;
        this.source = source;
        this.factories = factories;
        this.serverName = serverName;
        this.serverTransaction = event.getServerTransaction();
    }

    /** A request received by a transport of our own (Netty): answered statelessly through {@code responder}. */
    public IncomingRequest(Request request, SourceAddress source, Responder responder, SipFactories factories,
            String serverName) {
        this.request = request;
        this.event = null;
        this.provider = null;
        this.responder = responder;
        this.source = source;
        this.factories = factories;
        this.serverName = serverName;
    }

    public Request request() {
        return request;
    }

    public String method() {
        return request.getMethod();
    }

    /** The RI's event, or {@code null} when the request came through a transport of our own. */
    public RequestEvent event() {
        return event;
    }

    /** The RI provider (and so the transport) the request arrived on, or {@code null} outside the RI. */
    public SipProvider provider() {
        return provider;
    }

    public Transport transport() {
        return source.transport();
    }

    /** The packet's real source: transport, address and port. */
    public SourceAddress source() {
        return source;
    }

    public SipFactories factories() {
        return factories;
    }

    /**
     * What the steps of a chain learn about this request and hand on to the steps after them (a service's own
     * per-request state: one object, made by the first step that asks). Only the thread handling the request uses it.
     */
    public <T> T state(Class<T> type, Function<IncomingRequest, ? extends T> create) {
        if (state == null) {
            state = create.apply(this);
        }
        return type.cast(state);
    }

    /** The server transaction, if the handler made one (stateful processing). */
    public Optional<ServerTransaction> existingServerTransaction() {
        return Optional.ofNullable(serverTransaction);
    }

    /**
     * The server transaction for this request, created on first call (RFC 3261 §17.2): from then on answers go
     * through it and the stack absorbs retransmissions. Stateless services never call this.
     */
    public synchronized ServerTransaction serverTransaction() throws TransactionUnavailableException {
        if (serverTransaction == null) {
            if (provider == null) {
                throw new TransactionUnavailableException("this request came through a stateless transport");
            }
            try {
                serverTransaction = provider.getNewServerTransaction(request);
            } catch (TransactionAlreadyExistsException e) {
                throw new TransactionUnavailableException("a transaction already exists for this request (retransmission)", e);
            }
        }
        return serverTransaction;
    }

    /** A response with a To-tag (and a Server header when configured), ready to be completed and sent. */
    public Response response(int status) {
        return withServer(SipResponses.create(factories.messages(), request, status));
    }

    /** A response with our own reason phrase. */
    public Response response(int status, String reasonPhrase) {
        return withServer(SipResponses.create(factories.messages(), request, status, reasonPhrase));
    }

    /** Sends {@code response}: through the server transaction if there is one, else statelessly. */
    public void respond(Response response) throws SipException {
        ServerTransaction st = serverTransaction;
        try {
            if (st != null) {
                st.sendResponse(response);
            } else {
                responder.send(response);
            }
        } catch (InvalidArgumentException e) {
            throw new SipException("cannot send " + response.getStatusCode() + ": " + e.getMessage(), e);
        }
        if (response.getStatusCode() >= 200) {
            finalResponseSent.set(true);
        }
    }

    public void respond(int status) throws SipException {
        respond(response(status));
    }

    /** A final answer with {@code Retry-After} (RFC 3261 §20.33), e.g. 500 or 503 when a store is down. */
    public void respondRetryAfter(int status, int retryAfterSeconds) throws SipException {
        Response response = response(status);
        try {
            RetryAfterHeader retryAfter = factories.headers().createRetryAfterHeader(retryAfterSeconds);
            response.setHeader(retryAfter);
        } catch (InvalidArgumentException e) {
            throw new IllegalArgumentException("bad Retry-After " + retryAfterSeconds, e);
        }
        respond(response);
    }

    /** Whether a final (non-1xx) response was sent through this object. */
    public boolean finalResponseSent() {
        return finalResponseSent.get();
    }

    private Response withServer(Response response) {
        if (!serverName.isEmpty()) {
            try {
                ServerHeader server = factories.headers().createServerHeader(java.util.List.of(serverName));
                response.setHeader(server);
            } catch (ParseException e) {
                throw new IllegalStateException("bad sip.server-name", e);
            }
        }
        return response;
    }
}
