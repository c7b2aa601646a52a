package io.siplane.gateway.sip;

import java.util.Optional;

import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;

import gov.nist.javax.sip.ResponseEventExt;
import gov.nist.javax.sip.message.SIPMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.gateway.membership.Membership;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingResponse;
import io.siplane.sip.pipeline.SipResponseHandler;
import io.siplane.sip.transport.SipSender;

/**
 * Responses go back along the Via path (RFC 3261 §16.11 → §16.7 step 9 and §18.2.2): answers to our probes are
 * handed to the prober; for anything we forwarded our Via is popped and the response leaves towards the next Via's
 * received/rport over its transport (over TCP, the connection the request came in on). A response whose top Via is
 * not ours is dropped (RFC 3261 §16.7 step 2 — relaying it would reflect it to whoever the next Via names). The
 * same body serves both engines: {@link #processResponse} (JAIN-SIP RI) and {@link #onResponse} (Netty).
 */
public final class ResponseRelay implements SipResponseHandler {

    private final SipSender sender;
    private final GatewayAddresses addresses;
    private final OptionsProber prober;
    private final Membership membership;
    private final Counter relayed;
    private final Counter dropped;

    public ResponseRelay(SipSender sender, GatewayAddresses addresses, OptionsProber prober, Membership membership,
            MeterRegistry meters) {
        this.sender = sender;
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
        relay(event.getResponse(), sourceOf(event));
    }

    @Override
    public void onResponse(IncomingResponse response) throws SipException {
        relay(response.response(), Optional.of(response.source()));
    }

    private void relay(Response response, Optional<SourceAddress> from) throws SipException {
        if (prober.onResponse(response)) {
            return;
        }
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !ViaBranches.isOurs(top.getBranch()) || !addresses.isOurs(top.getHost(), top.getPort())) {
            dropped.increment();
            return;
        }
        // passive health: a replica that answers what we relayed to it is alive, whatever its last probe said
        from.ifPresent(source -> membership.answeredBy(source.transport(), source.address(), source.port()));
        response.removeFirst(ViaHeader.NAME);
        ViaHeader next = (ViaHeader) response.getHeader(ViaHeader.NAME);
        Optional<Transport> transport = next == null ? Optional.empty() : Transport.fromToken(next.getTransport());
        if (transport.isEmpty() || !sender.offers(transport.get())) {
            dropped.increment();
            return;
        }
        sender.sendResponse(response);
        relayed.increment();
    }

    /** Who sent a response the RI received: the transport of our Via (the one we sent on), the packet's source. */
    private static Optional<SourceAddress> sourceOf(ResponseEvent event) {
        ViaHeader ours = (ViaHeader) event.getResponse().getHeader(ViaHeader.NAME);
        Optional<Transport> transport = ours == null ? Optional.empty() : Transport.fromToken(ours.getTransport());
        if (transport.isEmpty()) {
            return Optional.empty();
        }
        if (event instanceof ResponseEventExt ext && ext.getRemoteIpAddress() != null) {
            return Optional.of(new SourceAddress(transport.get(), ext.getRemoteIpAddress(), ext.getRemotePort()));
        }
        if (event.getResponse() instanceof SIPMessage message && message.getRemoteAddress() != null) {
            return Optional.of(new SourceAddress(transport.get(), message.getRemoteAddress().getHostAddress(),
                    message.getRemotePort()));
        }
        return Optional.empty();
    }
}
