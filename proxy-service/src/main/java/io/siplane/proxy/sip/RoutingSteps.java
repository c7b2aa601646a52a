package io.siplane.proxy.sip;

import java.util.Optional;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.relay.InDialogRelayPolicy;
import io.siplane.proxy.relay.RoutedHere;
import io.siplane.proxy.routing.SipUriParts;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.proxy.sip.relay.RequestCopier;
import io.siplane.proxy.sip.relay.RoutePreprocessor;
import io.siplane.proxy.sip.relay.StatelessRelay;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * From route pre-processing to the decision to forward statefully (RFC 3261 §16.4, §16.11): requests that follow a
 * route set through us are relayed statelessly, or refused (no open relay); requests for the proxy itself are
 * answered; what is left goes on to the stateful steps with its routed copy ({@link ProxyExchange}).
 */
public final class RoutingSteps {

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
        Request request = (Request) in.request().clone();
        RoutedHere routedHere = routes.apply(request);
        ProxyExchange.of(in).routed(request, routedHere);
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
        ProxyExchange exchange = ProxyExchange.of(in);
        if (alongRouteSet(exchange) && decide(exchange) == InDialogRelayPolicy.Decision.RELAY) {
            relayStatelessly(in, exchange);
        }
        return Verdict.DONE;
    }

    /**
     * In-dialog requests (a To-tag) are relayed statelessly (RFC 3261 §16.11) along our signed Record-Route or to a
     * registered contact ({@link InDialogRelayPolicy}); anything else is refused with 403 (no open relay).
     */
    public Verdict relayInDialog(IncomingRequest in) throws Exception {
        ProxyExchange exchange = ProxyExchange.of(in);
        if (SipHeaders.toTag(exchange.routed()).isEmpty() || !alongRouteSet(exchange)) {
            return Verdict.NEXT;
        }
        InDialogRelayPolicy.Decision decision = decide(exchange);
        if (decision == InDialogRelayPolicy.Decision.STORE_UNAVAILABLE) {
            answers.answer(in, answers.storeUnavailable(in));
        } else if (decision == InDialogRelayPolicy.Decision.DENY) {
            log.debug("not relaying {} for Call-ID {}: not along our signed Record-Route nor to a registered contact",
                    in.method(), SipHeaders.callId(in.request()));
            answers.answer(in, answers.relayDenied(in));
        } else if (!relayStatelessly(in, exchange)) {
            answers.answer(in, in.response(Response.SERVER_INTERNAL_ERROR, "Cannot Forward"));
        }
        return Verdict.DONE;
    }

    /** A preloaded Route beyond us is not followed (no open relay): the target is resolved here. */
    public Verdict dropPreloadedRoute(IncomingRequest in) {
        ProxyExchange exchange = ProxyExchange.of(in);
        if (exchange.routedHere() != RoutedHere.RECORD_ROUTED && !relayForeignDomains) {
            exchange.routed().removeHeader(RouteHeader.NAME);
        }
        return Verdict.NEXT;
    }

    /** A request for the proxy itself rather than for a user: REGISTER 405 (we are no registrar), others 404. */
    public Verdict answerForProxy(IncomingRequest in) throws Exception {
        if (!addressedToProxy(ProxyExchange.of(in).routed().getRequestURI())) {
            return Verdict.NEXT;
        }
        answers.answer(in, Request.REGISTER.equals(in.method()) ? answers.methodNotAllowed(in) : in.response(Response.NOT_FOUND));
        return Verdict.DONE;
    }

    /** A URI for the proxy itself rather than for a user: no user part, one of our domains or addresses. */
    public boolean addressedToProxy(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() == null && domains.isLocal(sip.getHost(), sip.getPort());
    }

    private InDialogRelayPolicy.Decision decide(ProxyExchange exchange) {
        Request request = exchange.routed();
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return inDialogRelay.decide(exchange.routedHere(), request.getHeader(RouteHeader.NAME) != null,
                partsOf(request.getRequestURI()), to == null ? Optional.empty() : partsOf(to.getAddress().getURI()));
    }

    private static Optional<SipUriParts> partsOf(URI uri) {
        return uri instanceof SipURI sip
                ? Optional.of(new SipUriParts(sip.getScheme(), sip.getUser(), sip.getHost(), sip.getPort(), sip.toString()))
                : Optional.empty();
    }

    /** Brought by a Route naming us, or for a domain that is not ours: following a route set, not for a user of ours. */
    private boolean alongRouteSet(ProxyExchange exchange) {
        boolean local = exchange.routed().getRequestURI() instanceof SipURI sip && domains.isLocal(sip.getHost(), sip.getPort());
        return exchange.routedHere().any() || !local;
    }

    private boolean relayStatelessly(IncomingRequest in, ProxyExchange exchange) {
        Optional<RequestCopier.Outgoing> out = relay.prepare(in.request(), exchange.routed(), exchange.loopHash());
        if (out.isEmpty()) {
            return false;
        }
        // counted first: whoever gets the request may read the metrics before this thread goes on
        metrics.relayed(in.method());
        return relay.send(out.get());
    }
}
