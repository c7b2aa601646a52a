package io.siplane.sip.pipeline;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.AllowHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.message.SIPMessage;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.message.Vias;
import io.siplane.sip.parser.MessageDefect;
import io.siplane.sip.shutdown.SipDrain;

/**
 * The one {@link SipListener} of a stack: routes each request to the {@link SipRequestHandler} of its method and
 * everything else (responses, timeouts, transport errors) to the {@link SipResponseHandler}.
 *
 * <p>Whatever a handler does, the stack thread survives and the request is answered: an exception before the final
 * response becomes a plain 500 (the stack trace goes to the log, never to the wire). A method nobody handles gets
 * 405 with {@code Allow} (RFC 3261 §8.2.1); ACK is never answered (RFC 3261 §17.2.1). A request the parser marked
 * with a {@link MessageDefect} (unknown SIP version, repeated single-value header) gets 505 or 400 and no handler.
 * While the element drains ({@link SipDrain}), probes and new out-of-dialog requests get 503 here, before any handler.
 */
public class SipRequestDispatcher implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(SipRequestDispatcher.class);

    private final Map<String, SipRequestHandler> byMethod;
    private final Optional<SipRequestHandler> anyMethod;
    private final Optional<SipResponseHandler> responses;
    private final SipFactories factories;
    private final String serverName;
    private final List<String> allowed;
    private final SipDrain drain;

    public SipRequestDispatcher(List<SipRequestHandler> handlers, Optional<SipResponseHandler> responses,
            SipFactories factories, String serverName) {
        this(handlers, responses, factories, serverName, SipDrain.none());
    }

    /** A dispatcher that admits requests through {@code drain} (shared with the {@code SipEndpoint}). */
    public SipRequestDispatcher(List<SipRequestHandler> handlers, Optional<SipResponseHandler> responses,
            SipFactories factories, String serverName, SipDrain drain) {
        Map<String, SipRequestHandler> map = new HashMap<>();
        SipRequestHandler any = null;
        for (SipRequestHandler handler : handlers) {
            for (String m : handler.methods()) {
                String method = m.toUpperCase(Locale.ROOT);
                if (SipRequestHandler.ANY_METHOD.equals(method)) {
                    if (any != null) {
                        throw new IllegalStateException("two SIP handlers take any method: " + any.getClass().getName()
                                + " and " + handler.getClass().getName());
                    }
                    any = handler;
                } else {
                    SipRequestHandler previous = map.putIfAbsent(method, handler);
                    if (previous != null) {
                        throw new IllegalStateException("two SIP handlers for " + method + ": " + previous.getClass().getName()
                                + " and " + handler.getClass().getName());
                    }
                }
            }
        }
        this.byMethod = Map.copyOf(map);
        this.anyMethod = Optional.ofNullable(any);
        this.responses = responses;
        this.factories = factories;
        this.serverName = serverName;
        this.allowed = List.copyOf(new TreeSet<>(map.keySet()));
        this.drain = drain;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        SipProvider provider = (SipProvider) event.getSource();
        IncomingRequest incoming;
        try {
            SourceAddress source = sourceOf(event, provider);
            Vias.applyReceived(request, source);
            incoming = new IncomingRequest(event, provider, source, factories, serverName);
        } catch (RuntimeException e) {
            log.warn("dropping a {} whose source cannot be determined: {}", method, e.toString());
            return;
        }
        dispatch(incoming);
    }

    /**
     * The transport-neutral entry: a request received by any engine, its {@code Via} already marked with where it
     * came from ({@link Vias#applyReceived}). Runs the handler on the calling thread (an RI worker or a Netty event
     * loop); never throws.
     */
    public void dispatch(IncomingRequest incoming) {
        Request request = incoming.request();
        String method = request.getMethod();
        if (request instanceof SIPMessage parsed && parsed.getApplicationData() instanceof MessageDefect defect) {
            // a request the RI parsed although it is malformed (io.siplane.sip.parser): no handler sees it
            if (!Request.ACK.equals(method)) {
                answer(incoming, () -> incoming.response(defect.status(), defect.reason()));
            }
            return;
        }
        if (drain.admit(request, incoming.source()) != SipDrain.Admission.SERVE) {
            // RFC 3261 §21.5.4: the prober takes us out of rotation; a client retries elsewhere after Retry-After
            answer(incoming, () -> drain.withRetryAfter(incoming.response(Response.SERVICE_UNAVAILABLE)));
            return;
        }
        Optional<SipRequestHandler> handler = Optional.ofNullable(byMethod.get(method)).or(() -> anyMethod);
        if (handler.isEmpty()) {
            if (!Request.ACK.equals(method)) {
                answer(incoming, () -> methodNotAllowed(incoming));
            }
            return;
        }
        drain.handling();
        try {
            handler.get().handle(incoming);
        } catch (Throwable t) {
            log.warn("{} handler failed for Call-ID {} from {}", method, SipHeaders.callId(request), incoming.source(), t);
            if (!incoming.finalResponseSent() && !Request.ACK.equals(method)) {
                answer(incoming, () -> incoming.response(Response.SERVER_INTERNAL_ERROR));
            }
        } finally {
            drain.handled();
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        guard("response", () -> {
            if (responses.isPresent()) {
                responses.get().processResponse(event);
            } else {
                log.debug("ignoring a response: this service sends no requests");
            }
        });
    }

    /**
     * A response received by a transport of our own (Netty) for a request sent statelessly: to the
     * {@link SipResponseHandler}, on the calling thread; never throws.
     */
    public void dispatchResponse(IncomingResponse response) {
        guard("response", () -> {
            if (responses.isPresent()) {
                responses.get().onResponse(response);
            } else {
                log.debug("ignoring a response: this service sends no requests");
            }
        });
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        guard("timeout", () -> {
            if (responses.isPresent()) {
                responses.get().processTimeout(event);
            }
        });
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        guard("I/O error", () -> {
            log.debug("SIP I/O error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
            if (responses.isPresent()) {
                responses.get().processIOException(event);
            }
        });
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        guard("transaction end", () -> {
            if (responses.isPresent()) {
                responses.get().processTransactionTerminated(event);
            }
        });
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        guard("dialog end", () -> {
            if (responses.isPresent()) {
                responses.get().processDialogTerminated(event);
            }
        });
    }

    /** The methods that have a handler, sorted: the {@code Allow} list. */
    public List<String> allowedMethods() {
        return allowed;
    }

    private Response methodNotAllowed(IncomingRequest incoming) {
        Response response = incoming.response(Response.METHOD_NOT_ALLOWED);
        for (String m : allowed) {
            try {
                AllowHeader allow = factories.headers().createAllowHeader(m);
                response.addHeader(allow);
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }
        return response;
    }

    private void answer(IncomingRequest incoming, Supplier<Response> response) {
        try {
            incoming.respond(response.get());
        } catch (Throwable e) {
            log.warn("could not answer {} from {}: {}", incoming.method(), incoming.source(), e.toString());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void guard(String what, Step step) {
        try {
            step.run();
        } catch (Throwable t) {
            log.warn("SIP {} handler failed", what, t);
        }
    }

    /** Where the packet came from, as the stack saw it (not what the Via claims). */
    static SourceAddress sourceOf(RequestEvent event, SipProvider provider) {
        Transport transport = Transport.fromToken(provider.getListeningPoint().getTransport())
                .orElseThrow(() -> new IllegalStateException("unknown transport " + provider.getListeningPoint().getTransport()));
        SIPMessage message = (SIPMessage) event.getRequest();
        if (message.getPeerPacketSourceAddress() != null && message.getPeerPacketSourcePort() > 0) {
            // the packet's own source: over UDP the RI's "remote port" is the top Via's sent-by port (RFC 3581 §4)
            return new SourceAddress(transport, message.getPeerPacketSourceAddress().getHostAddress(),
                    message.getPeerPacketSourcePort());
        }
        if (event instanceof RequestEventExt ext && ext.getRemoteIpAddress() != null) {
            return new SourceAddress(transport, ext.getRemoteIpAddress(), ext.getRemotePort());
        }
        InetAddress address = message.getRemoteAddress();
        if (address == null) {
            throw new IllegalStateException("no remote address on the request");
        }
        return new SourceAddress(transport, address.getHostAddress(), message.getRemotePort());
    }
}
