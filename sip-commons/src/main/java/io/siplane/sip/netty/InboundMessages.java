package io.siplane.sip.netty;

import java.text.ParseException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.siplane.sip.SipFactories;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.message.Vias;
import io.siplane.sip.parser.SipParser;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.IncomingResponse;
import io.siplane.sip.pipeline.SipRequestDispatcher;

/**
 * One whole message off a socket, on the event loop that read it: parsed (with our guards), then a request goes to
 * the dispatcher and its chain, a response to the response handler. Nothing is queued: the chain runs here, and what
 * waits on a store answers later through the request's responder. Never throws (a channel survives any message).
 */
final class InboundMessages {

    private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);

    private final SipRequestDispatcher dispatcher;
    private final SipFactories factories;
    private final String serverName;

    InboundMessages(SipRequestDispatcher dispatcher, SipFactories factories, String serverName) {
        this.dispatcher = dispatcher;
        this.factories = factories;
        this.serverName = serverName;
    }

    /**
     * @param responder how an answer to a request goes back (the socket or connection it came on)
     * @param raw       how bytes go back when the request cannot even be parsed (its 400)
     */
    void received(byte[] bytes, SourceAddress source, IncomingRequest.Responder responder, Consumer<byte[]> raw) {
        SIPMessage message;
        try {
            message = SipParser.parse(bytes);
        } catch (ParseException e) {
            // RFC 3261 §8.2.2 / §18.3: an unparsable request gets 400 naming at most the header; a response is dropped
            byte[] answer = BadRequest.answer(bytes, "Bad Request (" + e.getMessage() + ")");
            if (answer != null) {
                raw.accept(answer);
            }
            return;
        } catch (RuntimeException e) {
            log.debug("unparsable message from {}: {}", source, e.toString());
            return;
        }
        try {
            if (message instanceof SIPRequest request) {
                if (request.getFrom() == null || request.getTo() == null || request.getCallId() == null
                        || request.getCSeq() == null || request.getTopmostVia() == null) {
                    // RFC 3261 §8.1.1 (RFC 4475 §3.1.2.18 insuf): as the RI's transports, such a request is dropped
                    return;
                }
                Vias.applyReceived(request, source);
                IncomingRequest incoming = new IncomingRequest(request, source, responder, factories, serverName);
                if (!request.getMethod().equals(request.getCSeq().getMethod())) {
                    // RFC 3261 §8.1.1.5 (RFC 4475 §3.1.2.20 mismatch01): the CSeq method must be the request's
                    if (!"ACK".equals(request.getMethod())) {
                        incoming.respond(incoming.response(400, "Bad Request (CSeq method does not match)"));
                    }
                    return;
                }
                dispatcher.dispatch(incoming);
            } else if (message instanceof SIPResponse response) {
                dispatcher.dispatchResponse(new IncomingResponse(response, source));
            }
        } catch (RuntimeException | javax.sip.SipException e) {
            log.warn("dropping a message from {}: {}", source, e.toString());
        }
    }
}
