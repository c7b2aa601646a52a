package io.siplane.proxy.sip;

import java.util.Optional;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.proxy.sip.relay.InDialogRelayPolicy;
import io.siplane.proxy.sip.relay.RequestCopier;
import io.siplane.proxy.sip.relay.RoutePreprocessor;
import io.siplane.proxy.sip.relay.RoutePreprocessor.RoutedHere;
import io.siplane.proxy.sip.relay.StatelessRelay;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * From route pre-processing to the decision to forward statefully (RFC 3261 §16.4, §16.11): requests that follow a
 * route set through us are relayed statelessly, or refused (no open relay); requests for the proxy itself are
 * answered; what is left goes on to the stateful steps with its routed copy attached.
 */
public final class RoutingSteps {

    /**
     * A valid request after route pre-processing: the copy every forwarded request is made from, its loop hash, and
     * how a Route of ours brought it here.
     */
    public record Routed(Request request, String loopHash, RoutedHere routedHere) {
    }

    private static final Logger log = LoggerFactory.getLogger(RoutingSteps.class);

    private final RoutePreprocessor routes;
    private final InDialogRelayPolicy inDialogRelay;
    private final StatelessRelay relay;
    private final LocalDomains domains;
    private final ProxyAnswers answers;
    private final ProxyMetrics metrics;
    private final boolean relayForeignDomains;

    public RoutingSteps(RoutePreprocessor routes, InDialogRelayPolicy inDialogRelay, StatelessRelay relay,
            LocalDomains domains, ProxyAnswers answers, ProxyMetrics metrics, boolean relayForeignDomains) {
        this.routes = routes;
        this.inDialogRelay = inDialogRelay;
        this.relay = relay;
        this.domains = domains;
        this.answers = answers;
        this.metrics = metrics;
        this.relayForeignDomains = relayForeignDomains;
    }

    /** RFC 3261 §16.4: our Route entries go from a copy of the request; the copy is what is forwarded. */
    public Verdict preprocessRoutes(IncomingRequest in) {
        String loopHash = in.attachment(ValidationSteps.LoopHash.class).orElseThrow().value();
        Request request = (Request) in.request().clone();
        RoutedHere routedHere = routes.apply(request);
        in.attach(new Routed(request, loopHash, routedHere));
        return Verdict.NEXT;
    }

    /**
     * RFC 3261 §16.11: the ACK of a 2xx follows the route set, statelessly; an ACK not routed to us belongs to nothing
     * we know (the ACK of a non-2xx was absorbed by its server transaction before reaching the chain).
     */
    public Verdict relayAck(IncomingRequest in) {
        if (!Request.ACK.equals(in.method())) {
            return Verdict.NEXT;
        }
        Routed routed = routed(in);
        if (alongRouteSet(routed) && inDialogRelay.decide(routed.request(), routed.routedHere()) == InDialogRelayPolicy.Decision.RELAY) {
            relayStatelessly(in, routed);
        }
        return Verdict.DONE;
    }

    /**
     * In-dialog requests (a To-tag) are relayed statelessly (RFC 3261 §16.11) along our signed Record-Route or to a
     * registered contact ({@link InDialogRelayPolicy}); anything else is refused with 403 (no open relay).
     */
    public Verdict relayInDialog(IncomingRequest in) throws Exception {
        Routed routed = routed(in);
        if (SipHeaders.toTag(routed.request()).isEmpty() || !alongRouteSet(routed)) {
            return Verdict.NEXT;
        }
        InDialogRelayPolicy.Decision decision = inDialogRelay.decide(routed.request(), routed.routedHere());
        if (decision == InDialogRelayPolicy.Decision.STORE_UNAVAILABLE) {
            answers.answer(in, answers.storeUnavailable(in));
        } else if (decision == InDialogRelayPolicy.Decision.DENY) {
            log.debug("not relaying {} for Call-ID {}: not along our signed Record-Route nor to a registered contact",
                    in.method(), SipHeaders.callId(in.request()));
            answers.answer(in, answers.relayDenied(in));
        } else if (!relayStatelessly(in, routed)) {
            answers.answer(in, in.response(Response.SERVER_INTERNAL_ERROR, "Cannot Forward"));
        }
        return Verdict.DONE;
    }

    /** A preloaded Route beyond us is not followed (no open relay): the target is resolved here. */
    public Verdict dropPreloadedRoute(IncomingRequest in) {
        Routed routed = routed(in);
        if (routed.routedHere() != RoutedHere.RECORD_ROUTED && !relayForeignDomains) {
            routed.request().removeHeader(RouteHeader.NAME);
        }
        return Verdict.NEXT;
    }

    /** A request for the proxy itself rather than for a user: REGISTER 405 (we are no registrar), others 404. */
    public Verdict answerForProxy(IncomingRequest in) throws Exception {
        if (!addressedToProxy(routed(in).request().getRequestURI())) {
            return Verdict.NEXT;
        }
        answers.answer(in, Request.REGISTER.equals(in.method()) ? answers.methodNotAllowed(in) : in.response(Response.NOT_FOUND));
        return Verdict.DONE;
    }

    /** A URI for the proxy itself rather than for a user: no user part, one of our domains or addresses. */
    public boolean addressedToProxy(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() == null && domains.isLocal(sip.getHost(), sip.getPort());
    }

    static Routed routed(IncomingRequest in) {
        return in.attachment(Routed.class).orElseThrow();
    }

    /** Brought by a Route naming us, or for a domain that is not ours: following a route set, not for a user of ours. */
    private boolean alongRouteSet(Routed routed) {
        boolean local = routed.request().getRequestURI() instanceof SipURI sip && domains.isLocal(sip.getHost(), sip.getPort());
        return routed.routedHere().any() || !local;
    }

    private boolean relayStatelessly(IncomingRequest in, Routed routed) {
        Optional<RequestCopier.Outgoing> out = relay.prepare(in.request(), routed.request(), routed.loopHash());
        if (out.isEmpty()) {
            return false;
        }
        // counted first: whoever gets the request may read the metrics before this thread goes on
        metrics.relayed(in.method());
        return relay.send(out.get());
    }
}
