package io.siplane.proxy.relay;

import java.util.Optional;

import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.proxy.loop.BranchIds;
import io.siplane.proxy.routing.Target;

/**
 * Stateless forwarding (RFC 3261 §16.11): in-dialog requests that follow their Route set through us, the ACK of a
 * 2xx, and responses that match no client transaction (a 2xx retransmission, the answers to what we forwarded
 * statelessly). Nothing is kept: a retransmission is forwarded again with the same branch.
 */
public final class StatelessRelay {

    private static final Logger log = LoggerFactory.getLogger(StatelessRelay.class);

    private final RequestForwarder forwarder;
    private final Endpoint endpoint;

    public StatelessRelay(RequestForwarder forwarder, Endpoint endpoint) {
        this.forwarder = forwarder;
        this.endpoint = endpoint;
    }

    /**
     * The copy of {@code request} (route pre-processing done) for its Route or Request-URI; empty when it cannot be
     * routed.
     *
     * @param received the request as it arrived, whose top Via makes the branch deterministic
     */
    public Optional<RequestForwarder.Outgoing> prepare(Request received, Request request, String loopHash) {
        ViaHeader via = (ViaHeader) received.getHeader(ViaHeader.NAME);
        String branch = BranchIds.stateless(loopHash, String.valueOf(via.getBranch()), via.getHost() + ":" + via.getPort());
        try {
            return Optional.of(forwarder.prepare(request, Target.of(request.getRequestURI().toString()), branch, Optional.empty()));
        } catch (Unroutable e) {
            log.debug("cannot relay {} for Call-ID {}: {}", request.getMethod(), callId(request), e.getMessage());
            return Optional.empty();
        }
    }

    /** Sends a prepared copy without transaction; false when the transport refused it. */
    public boolean send(RequestForwarder.Outgoing out) {
        try {
            out.provider().sendRequest(out.request());
            return true;
        } catch (SipException e) {
            log.debug("cannot relay {} to {}: {}", out.request().getMethod(), out.hop(), e.getMessage());
            return false;
        }
    }

    /**
     * A response without client transaction (RFC 3261 §16.7 for the 2xx retransmissions that outlive the
     * transaction, §16.11 for the answers to stateless forwards): if the top Via is ours it goes, then the response
     * travels to the next Via (its received/rport). Anything else is dropped (RFC 3261 §18.1.2).
     */
    public void relayResponse(Response response) {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !isOurs(top)) {
            log.debug("dropping a {} whose top Via is not ours", response.getStatusCode());
            return;
        }
        response.removeFirst(ViaHeader.NAME);
        ViaHeader next = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (next == null) {
            return;
        }
        Optional<SipProvider> provider = endpoint.get().provider(next.getTransport());
        if (provider.isEmpty()) {
            log.debug("cannot relay a {} over {}", response.getStatusCode(), next.getTransport());
            return;
        }
        try {
            provider.get().sendResponse(response);
        } catch (SipException e) {
            log.debug("cannot relay a {} to {}: {}", response.getStatusCode(), next, e.getMessage());
        }
    }

    private boolean isOurs(ViaHeader via) {
        int port = via.getPort() > 0 ? via.getPort() : 5060;
        return via.getHost().equalsIgnoreCase(endpoint.get().properties().advertisedHost())
                && port == endpoint.get().properties().effectiveAdvertisedPort();
    }

    private static String callId(Request request) {
        return io.siplane.sip.message.SipHeaders.callId(request);
    }
}
