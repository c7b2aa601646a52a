package io.siplane.proxy.sip.relay;

import java.util.Optional;

import javax.sip.SipException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.proxy.loop.BranchIdMinter;
import io.siplane.proxy.routing.ContactTarget;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.transport.ProviderSender;

/**
 * Stateless forwarding (RFC 3261 §16.11): in-dialog requests that follow their Route set through us, the ACK of a
 * 2xx, and responses that match no client transaction (a 2xx retransmission, the answers to what we forwarded
 * statelessly). Nothing is kept: a retransmission is forwarded again with the same branch.
 */
public final class StatelessRelay {

    private static final Logger log = LoggerFactory.getLogger(StatelessRelay.class);

    private final RequestCopier copier;
    private final ProviderSender sender;
    private final AdvertisedAddress advertised;

    public StatelessRelay(RequestCopier copier, ProviderSender sender, AdvertisedAddress advertised) {
        this.copier = copier;
        this.sender = sender;
        this.advertised = advertised;
    }

    /**
     * The copy of {@code request} (route pre-processing done) for its Route or Request-URI; empty when it cannot be
     * routed.
     *
     * @param received the request as it arrived, whose top Via makes the branch deterministic
     */
    public Optional<RequestCopier.Outgoing> prepare(Request received, Request request, String loopHash) {
        ViaHeader via = (ViaHeader) received.getHeader(ViaHeader.NAME);
        String branch = BranchIdMinter.stateless(loopHash, String.valueOf(via.getBranch()), via.getHost() + ":" + via.getPort());
        try {
            return Optional.of(copier.prepare(request, ContactTarget.of(request.getRequestURI().toString()), branch, Optional.empty()));
        } catch (Unroutable e) {
            log.debug("cannot relay {} for Call-ID {}: {}", request.getMethod(), SipHeaders.callId(request), e.getMessage());
            return Optional.empty();
        }
    }

    /** Sends a prepared copy without transaction; false when the transport refused it. */
    public boolean send(RequestCopier.Outgoing out) {
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
        if (top == null || !advertised.isOurs(top)) {
            log.debug("dropping a {} whose top Via is not ours", response.getStatusCode());
            return;
        }
        response.removeFirst(ViaHeader.NAME);
        ViaHeader next = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (next == null) {
            return;
        }
        try {
            // along the next Via: its transport, its received/rport (RFC 3261 §18.2.2)
            sender.sendResponse(response);
        } catch (SipException e) {
            log.debug("cannot relay a {} to {}: {}", response.getStatusCode(), next, e.getMessage());
        }
    }

}
