package io.siplane.proxy.sip;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.proxy.ProxyProperties;
import io.siplane.proxy.auth.ProxyAuthenticator;
import io.siplane.proxy.fork.ForkContext;
import io.siplane.proxy.fork.Forker;
import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.relay.InDialogRelayPolicy;
import io.siplane.proxy.relay.RequestForwarder;
import io.siplane.proxy.relay.RoutePreprocessor;
import io.siplane.proxy.relay.RoutePreprocessor.RoutedHere;
import io.siplane.proxy.relay.StatelessRelay;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.proxy.routing.Resolution;
import io.siplane.proxy.routing.Target;
import io.siplane.proxy.routing.TargetResolver;
import io.siplane.proxy.validate.Rejection;
import io.siplane.proxy.validate.RequestValidator;
import io.siplane.proxy.validate.Validation;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestHandler;

/**
 * Every request the proxy receives, through one pipeline (RFC 3261 §16):
 * <ol>
 *   <li>CANCEL → its INVITE's context ({@link #cancel});</li>
 *   <li>validate (§16.3: 400, 416, 483, 482, 420);</li>
 *   <li>route pre-processing (§16.4: remove our Route entries);</li>
 *   <li>in-dialog requests and ACK are relayed statelessly (§16.11) along our signed Record-Route, or to a registered
 *       contact, else 403 ({@link InDialogRelayPolicy}: no open relay); a preloaded Route beyond us is dropped;</li>
 *   <li>requests for the proxy itself are answered (OPTIONS 200, REGISTER 405);</li>
 *   <li>everything else is forwarded statefully: server transaction, 100 Trying for INVITE, authenticate (407),
 *       resolve the target (§16.5: 404, 480, 503, 403 for foreign domains), fork ({@link ForkContext}).</li>
 * </ol>
 */
public final class ProxyRequestHandler implements SipRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ProxyRequestHandler.class);

    /** The methods this proxy routes (the {@code Allow} of its OPTIONS answer). */
    static final List<String> ROUTED = List.of("ACK", "BYE", "CANCEL", "INFO", "INVITE", "MESSAGE", "NOTIFY", "OPTIONS",
            "PRACK", "PUBLISH", "REFER", "SUBSCRIBE", "UPDATE");

    private final RequestValidator validator;
    private final RoutePreprocessor routes;
    private final StatelessRelay relay;
    private final ProxyAuthenticator authenticator;
    private final TargetResolver resolver;
    private final Forker forker;
    private final LocalDomains domains;
    private final InDialogRelayPolicy inDialogRelay;
    private final ProxyMetrics metrics;
    private final boolean relayForeignDomains;
    private final int retryAfterSeconds;

    public ProxyRequestHandler(RequestValidator validator, RoutePreprocessor routes, StatelessRelay relay,
            ProxyAuthenticator authenticator, TargetResolver resolver, Forker forker, LocalDomains domains,
            InDialogRelayPolicy inDialogRelay, ProxyMetrics metrics, ProxyProperties properties) {
        this.validator = validator;
        this.routes = routes;
        this.relay = relay;
        this.authenticator = authenticator;
        this.resolver = resolver;
        this.forker = forker;
        this.domains = domains;
        this.inDialogRelay = inDialogRelay;
        this.metrics = metrics;
        this.relayForeignDomains = properties.relayForeignDomains();
        this.retryAfterSeconds = properties.retryAfterSeconds();
    }

    @Override
    public Set<String> methods() {
        return Set.of(ANY_METHOD);
    }

    @Override
    public void handle(IncomingRequest in) throws Exception {
        Request received = in.request();
        String method = received.getMethod();
        if (Request.CANCEL.equals(method)) {
            cancel(in);
            return;
        }
        if (Request.OPTIONS.equals(method) && addressedToProxy(received.getRequestURI())) {
            // RFC 3261 §11, §16.3 step 3: OPTIONS for the proxy itself is answered here, whatever its Max-Forwards
            answer(in, optionsAnswer(in));
            return;
        }
        Validation validation = validator.validate(received);
        if (validation instanceof Validation.Invalid invalid) {
            if (!Request.ACK.equals(method)) {
                answer(in, responseFor(in, invalid.rejection()));
            }
            return;
        }
        String loopHash = ((Validation.Valid) validation).loopHash();
        Request request = (Request) received.clone();
        RoutedHere routedHere = routes.apply(request);
        boolean foreign = !isLocal(request.getRequestURI());
        if (Request.ACK.equals(method)) {
            // RFC 3261 §16.11: the ACK of a 2xx follows the route set; an ACK not routed to us belongs to nothing we know
            if ((routedHere.any() || foreign) && inDialogRelay.decide(request, routedHere) == InDialogRelayPolicy.Decision.RELAY) {
                relayStatelessly(in, request, loopHash);
            }
            return;
        }
        if (SipHeaders.toTag(request).isPresent() && (routedHere.any() || foreign)) {
            relayInDialog(in, request, loopHash, routedHere);
            return;
        }
        if (routedHere != RoutedHere.RECORD_ROUTED && !relayForeignDomains) {
            // a preloaded Route beyond us is not followed (no open relay): the target is resolved here
            request.removeHeader(RouteHeader.NAME);
        }
        if (addressedToProxy(request.getRequestURI())) {
            answer(in, Request.REGISTER.equals(method) ? methodNotAllowed(in) : in.response(Response.NOT_FOUND));
            return;
        }
        forwardStatefully(in, request, loopHash);
    }

    /** RFC 3261 §16.10: 200 to the CANCEL (with the INVITE's To-tag), then the INVITE's branches are cancelled. */
    private void cancel(IncomingRequest in) throws SipException, ParseException {
        Optional<ForkContext> context = forker.findCancelled(in.request());
        if (context.isEmpty()) {
            // we forward every INVITE statefully: no context means no INVITE in progress here
            answer(in, in.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
            return;
        }
        Response ok = in.response(Response.OK);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(context.get().localTag());
        answer(in, ok);
        context.get().cancel();
    }

    private void relayInDialog(IncomingRequest in, Request request, String loopHash, RoutedHere routedHere) throws SipException,
            InvalidArgumentException {
        InDialogRelayPolicy.Decision decision = inDialogRelay.decide(request, routedHere);
        if (decision == InDialogRelayPolicy.Decision.STORE_UNAVAILABLE) {
            answer(in, responseFor(in, new Resolution.StoreUnavailable()));
            return;
        }
        if (decision == InDialogRelayPolicy.Decision.DENY) {
            log.debug("not relaying {} for Call-ID {}: not along our signed Record-Route nor to a registered contact",
                    request.getMethod(), SipHeaders.callId(request));
            answer(in, in.response(Response.FORBIDDEN, "Relaying Denied"));
            return;
        }
        if (!relayStatelessly(in, request, loopHash)) {
            answer(in, in.response(Response.SERVER_INTERNAL_ERROR, "Cannot Forward"));
        }
    }

    private boolean relayStatelessly(IncomingRequest in, Request request, String loopHash) {
        Optional<RequestForwarder.Outgoing> out = relay.prepare(in.request(), request, loopHash);
        if (out.isEmpty()) {
            return false;
        }
        // counted first: whoever gets the request may read the metrics before this thread goes on
        metrics.relayed(request.getMethod());
        return relay.send(out.get());
    }

    /** RFC 3261 §16.2–16.7: through a server transaction, then authentication, target resolution and forking. */
    private void forwardStatefully(IncomingRequest in, Request request, String loopHash) throws Exception {
        if (in.request().getHeader(MaxForwardsHeader.NAME) == null) {
            // the stack's transactions insist on one; the forwarded copies get 70 (RFC 3261 §16.6 step 3)
            in.request().setHeader(in.factories().headers().createMaxForwardsHeader(70));
        }
        ServerTransaction serverTransaction;
        try {
            serverTransaction = in.serverTransaction();
        } catch (TransactionUnavailableException e) {
            if (!(e.getCause() instanceof TransactionAlreadyExistsException)) {
                // the stack finds the request unfit for a transaction (a mandatory header missing)
                answer(in, in.response(Response.BAD_REQUEST));
            }
            return;
        }
        if (Request.INVITE.equals(request.getMethod())) {
            // RFC 3261 §16.2: the INVITE is ours to handle now; stop the caller's retransmissions
            in.respond(in.response(Response.TRYING));
        }
        ForkContext context = forker.open(in, serverTransaction, request, loopHash);
        Optional<Response> denied = authenticator.check(in, request);
        if (denied.isPresent()) {
            context.reject(denied.get());
            return;
        }
        Resolution resolution = resolve(request);
        if (resolution instanceof Resolution.Targets targets) {
            context.fork(targets.targets());
        } else {
            context.reject(responseFor(in, resolution));
        }
    }

    /** RFC 3261 §16.5: our domains through the location store; a foreign domain only when relaying is allowed. */
    private Resolution resolve(Request request) {
        SipURI uri = (SipURI) request.getRequestURI();
        if (!domains.isLocal(uri.getHost(), uri.getPort())) {
            return relayForeignDomains ? new Resolution.Targets(List.of(Target.of(uri.toString()))) : new Resolution.RelayDenied();
        }
        try {
            return domains.addressOfRecord(uri.getScheme(), uri.getUser(), uri.getHost(), uri.getPort())
                    .map(resolver::resolve)
                    .orElseGet(Resolution.UnknownUser::new);
        } catch (IllegalArgumentException e) {
            return new Resolution.UnknownUser();
        }
    }

    private Response responseFor(IncomingRequest in, Resolution resolution) throws InvalidArgumentException {
        if (resolution instanceof Resolution.NotRegistered) {
            return in.response(Response.TEMPORARILY_UNAVAILABLE);
        }
        if (resolution instanceof Resolution.RelayDenied) {
            // no open relay: requests for domains that are not ours are refused
            return in.response(Response.FORBIDDEN, "Relaying Denied");
        }
        if (resolution instanceof Resolution.StoreUnavailable) {
            Response response = in.response(Response.SERVICE_UNAVAILABLE);
            RetryAfterHeader retryAfter = in.factories().headers().createRetryAfterHeader(retryAfterSeconds);
            response.setHeader(retryAfter);
            return response;
        }
        return in.response(Response.NOT_FOUND);
    }

    private Response responseFor(IncomingRequest in, Rejection rejection) throws ParseException {
        Response response = rejection.reason().isPresent() ? in.response(rejection.status(), rejection.reason().get())
                : in.response(rejection.status());
        for (String tag : rejection.unsupported()) {
            response.addHeader(in.factories().headers().createUnsupportedHeader(tag));
        }
        return response;
    }

    private Response optionsAnswer(IncomingRequest in) throws ParseException {
        Response response = in.response(Response.OK);
        for (String method : ROUTED) {
            response.addHeader(in.factories().headers().createAllowHeader(method));
        }
        response.addHeader(in.factories().headers().createAcceptHeader("application", "sdp"));
        return response;
    }

    private Response methodNotAllowed(IncomingRequest in) throws ParseException {
        Response response = in.response(Response.METHOD_NOT_ALLOWED);
        for (String method : ROUTED) {
            response.addHeader(in.factories().headers().createAllowHeader(method));
        }
        return response;
    }

    /** A final answer of the proxy's own: statelessly, or through the server transaction when there is one. */
    private void answer(IncomingRequest in, Response response) throws SipException {
        metrics.completed(in.method(), response.getStatusCode());
        in.respond(response);
        if (log.isDebugEnabled()) {
            log.debug("{} {} answered {}", in.method(), in.request().getRequestURI(), response.getStatusCode());
        }
    }

    private boolean isLocal(URI uri) {
        return uri instanceof SipURI sip && domains.isLocal(sip.getHost(), sip.getPort());
    }

    /** A URI for the proxy itself rather than for a user: no user part, one of our domains or addresses. */
    private boolean addressedToProxy(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() == null && domains.isLocal(sip.getHost(), sip.getPort());
    }
}
