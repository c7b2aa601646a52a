package io.siplane.gateway.sip;

import java.util.Optional;
import java.util.function.Supplier;

import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gov.nist.javax.sip.ResponseEventExt;
import gov.nist.javax.sip.message.SIPMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.gateway.membership.Membership;
import io.siplane.sip.SipEndpoint;
import io.siplane.sip.Transport;
import io.siplane.sip.pipeline.SipResponseHandler;

/**
 * Responses go back along the Via path (RFC 3261 §16.11 → §16.7 step 9 and §18.2.2): answers to our probes are
 * handed to the prober; for anything we forwarded our Via is popped and the response leaves towards the next Via's
 * received/rport over its transport (over TCP, the connection the request came in on). A response whose top Via is
 * not ours is dropped (RFC 3261 §16.7 step 2 — relaying it would reflect it to whoever the next Via names).
 */
public final class ResponseRelay implements SipResponseHandler {

    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

    private final Supplier<SipEndpoint> endpoint;
    private final GatewayAddresses addresses;
    private final OptionsProber prober;
    private final Membership membership;
    private final Counter relayed;
    private final Counter dropped;

    public ResponseRelay(Supplier<SipEndpoint> endpoint, GatewayAddresses addresses, OptionsProber prober, Membership membership,
            MeterRegistry meters) {
        this.endpoint = endpoint;
        this.addresses = addresses;
        this.prober = prober;
        this.membership = membership;
        this.relayed = Counter.builder("siplane.gateway.responses").tag("outcome", "relayed")
                .description("responses relayed back along the Via path").register(meters);
        this.dropped = Counter.builder("siplane.gateway.responses").tag("outcome", "dropped")
                .description("responses relayed back along the Via path").register(meters);
    }

    @Override
    public void processResponse(ResponseEvent event) throws SipException {
        Response response = event.getResponse();
        if (prober.onResponse(response)) {
            return;
        }
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !Branches.isOurs(top.getBranch()) || !addresses.isOurs(top.getHost(), top.getPort())) {
            dropped.increment();
            log.debug("dropping a {} whose top Via is not ours", response.getStatusCode());
            return;
        }
        answeredBy(event, top);
        response.removeFirst(ViaHeader.NAME);
        ViaHeader next = (ViaHeader) response.getHeader(ViaHeader.NAME);
        Optional<SipProvider> provider = next == null ? Optional.empty() : endpoint.get().provider(next.getTransport());
        if (provider.isEmpty()) {
            dropped.increment();
            return;
        }
        provider.get().sendResponse(response);
        relayed.increment();
    }

    /** Passive health: a replica that answers what we relayed to it is alive, whatever its last probe said. */
    private void answeredBy(ResponseEvent event, ViaHeader ours) {
        Optional<Transport> transport = Transport.fromToken(ours.getTransport());
        if (transport.isEmpty()) {
            return;
        }
        if (event instanceof ResponseEventExt ext && ext.getRemoteIpAddress() != null) {
            membership.answeredBy(transport.get(), ext.getRemoteIpAddress(), ext.getRemotePort());
        } else if (event.getResponse() instanceof SIPMessage message && message.getRemoteAddress() != null) {
            membership.answeredBy(transport.get(), message.getRemoteAddress().getHostAddress(), message.getRemotePort());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("SIP I/O error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }
}
