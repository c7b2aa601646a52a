package io.siplane.gateway.sip;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.HopImpl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.gateway.GatewayProperties;
import io.siplane.gateway.flood.FloodGuard;
import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.gateway.membership.TargetPool;
import io.siplane.gateway.routing.Flow;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.sip.SipEndpoint;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestHandler;

/**
 * Every request that reaches the gateway, forwarded statelessly (RFC 3261 §16.11): no transaction, so a message costs
 * a parse and a send. The steps, in order:
 *
 * <ol>
 *   <li>{@link #admitted flood check} (replicas exempt), {@link #tooLarge size check} (513);</li>
 *   <li>Max-Forwards (483), {@link #popOurRoutes our Route entries} and their flow tokens (403 when forged);</li>
 *   <li>{@link #destinationOf destination}: a user agent's flow, the next Route inside a dialog when it names a
 *       replica (else 403: no open relay), a registrar replica for REGISTER, else a proxy replica by Call-ID (a
 *       preloaded Route beyond us is dropped); a replica's requests follow their Route or Request-URI;</li>
 *   <li>{@link #forward}: Max-Forwards − 1, Path with a flow token on REGISTER (RFC 3327), double Record-Route on
 *       dialog-creating requests (RFC 5658), our Via with a deterministic branch, send.</li>
 * </ol>
 */
public final class RequestForwarder implements SipRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestForwarder.class);
    /** RFC 3261 §12.1: the methods that create dialogs in this platform's world (INVITE, RFC 6665 SUBSCRIBE, RFC 3515 REFER). */
    private static final Set<String> DIALOG_CREATING = Set.of(Request.INVITE, Request.SUBSCRIBE, Request.REFER);
    private static final int RETRY_AFTER_SECONDS = 5;

    private final Supplier<SipEndpoint> endpoint;
    private final SipFactories factories;
    private final GatewayAddresses addresses;
    private final GatewayProperties properties;
    private final Membership membership;
    private final Map<PoolRole, TargetPool> pools;
    private final FloodGuard flood;
    private final FlowTokens tokens;
    private final Set<String> domains;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public RequestForwarder(Supplier<SipEndpoint> endpoint, GatewayAddresses addresses, GatewayProperties properties,
            Membership membership, FloodGuard flood, FlowTokens tokens, MeterRegistry meters) {
        this.endpoint = endpoint;
        this.factories = SipFactories.get();
        this.addresses = addresses;
        this.properties = properties;
        this.membership = membership;
        Map<PoolRole, TargetPool> byRole = new java.util.EnumMap<>(PoolRole.class);
        membership.pools().forEach(p -> byRole.put(p.role(), p));
        this.pools = byRole;
        this.flood = flood;
        this.tokens = tokens;
        this.domains = Set.copyOf(properties.domains().stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        this.meters = meters;
    }

    @Override
    public Set<String> methods() {
        return Set.of(ANY_METHOD);
    }

    @Override
    public void handle(IncomingRequest in) throws SipException {
        Request request = in.request();
        SourceAddress source = in.source();
        boolean fromReplica = membership.isTarget(source.transport(), source.address(), source.port());
        if (!fromReplica && !flood.admit(source.address())) {
            return;
        }
        if (tooLarge(request)) {
            reject(in, Response.MESSAGE_TOO_LARGE);
            return;
        }
        MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (maxForwards != null && maxForwards.getMaxForwards() <= 0) {
            reject(in, Response.TOO_MANY_HOPS); // RFC 3261 §16.3 step 3
            return;
        }
        PoppedRoutes popped = popOurRoutes(request, source);
        if (popped.forged()) {
            reject(in, Response.FORBIDDEN, "Invalid flow token"); // RFC 5626 §5.3
            return;
        }
        Destination destination = destinationOf(request, popped, fromReplica);
        if (log.isDebugEnabled()) {
            log.debug("{} {} from {}: {}", request.getMethod(), SipHeaders.callId(request), source, destination);
        }
        if (destination instanceof Destination.Local local) {
            reject(in, local.status());
            return;
        }
        if (destination instanceof Destination.Denied denied) {
            log.debug("not relaying {} {} from {}: {}", request.getMethod(), SipHeaders.callId(request), source, denied.why());
            reject(in, Response.FORBIDDEN, "Relaying Denied");
            return;
        }
        forward(in, destination, fromReplica);
    }

    /** The gateway's part of the Route set, taken off the request, and the flow it points to (if any). */
    record PoppedRoutes(Optional<Flow> flow, boolean forged, boolean any) {
    }

    /**
     * RFC 3261 §16.4: our own entries at the top of Route are removed. Entries carrying a flow token name a user
     * agent's flow; the one that is not the flow this request arrived on is where it goes (RFC 5626 §5.3: a request
     * arriving over the flow travels away from that user agent). Both entries of a double Record-Route go together.
     */
    PoppedRoutes popOurRoutes(Request request, SourceAddress source) {
        Optional<Flow> target = Optional.empty();
        boolean any = false;
        ListIterator<?> routes = request.getHeaders(RouteHeader.NAME);
        List<Header> ours = new ArrayList<>();
        while (routes != null && routes.hasNext()) {
            RouteHeader route = (RouteHeader) routes.next();
            URI uri = route.getAddress().getURI();
            if (!addresses.isOurs(uri)) {
                break;
            }
            ours.add(route);
            String user = ((SipURI) uri).getUser();
            if (user != null && !user.isEmpty()) {
                Optional<Flow> flow = tokens.decode(user);
                if (flow.isEmpty()) {
                    return new PoppedRoutes(Optional.empty(), true, true);
                }
                if (target.isEmpty() && !flow.get().is(source)) {
                    target = flow;
                }
            }
        }
        if (!ours.isEmpty()) {
            any = true;
            for (int i = 0; i < ours.size(); i++) {
                request.removeFirst(RouteHeader.NAME);
            }
        }
        return new PoppedRoutes(target, false, any);
    }

    /** Where a request goes. */
    sealed interface Destination {
        record ToFlow(Flow flow) implements Destination {
        }

        record ToHop(Hop hop) implements Destination {
        }

        record ToPool(TargetPool pool, boolean newTransaction) implements Destination {
        }

        record Local(int status) implements Destination {
        }

        /** Refused with 403: the request would use the gateway as a relay to somewhere that is not ours. */
        record Denied(String why) implements Destination {
        }
    }

    Destination destinationOf(Request request, PoppedRoutes popped, boolean fromReplica) {
        if (popped.flow().isPresent()) {
            return new Destination.ToFlow(popped.flow().get());
        }
        String method = request.getMethod();
        boolean inDialog = SipHeaders.toTag(request).isPresent();
        RouteHeader nextRoute = (RouteHeader) request.getHeader(RouteHeader.NAME);
        // No open relay: a request from outside goes to a flow we signed (above) or to one of our replicas, never
        // where a Route or Request-URI it chose points. A replica's Route set is followed as it is.
        if (nextRoute != null && fromReplica) {
            return new Destination.ToHop(hopOf(nextRoute.getAddress().getURI()));
        }
        if (nextRoute != null && inDialog) {
            // a Route set beyond us inside a dialog: only towards a replica that record-routed (a proxy with
            // Record-Route on); a forged To-tag with a Route elsewhere is refused
            Hop hop = hopOf(nextRoute.getAddress().getURI());
            if (isReplica(hop)) {
                return new Destination.ToHop(hop);
            }
            if (!Request.ACK.equals(method)) {
                return new Destination.Denied("in-dialog Route to " + hop);
            }
            // the ACK of a non-2xx carries the INVITE's Route: it follows the INVITE (whose Route was dropped)
        }
        if (nextRoute != null) {
            // a preloaded Route beyond us on an out-of-dialog request is dropped (as Kamailio's remove_hf("Route")):
            // the request is routed by the proxy like any other, not to the host the sender named
            request.removeHeader(RouteHeader.NAME);
        }
        if (Request.REGISTER.equals(method)) {
            return new Destination.ToPool(pools.get(PoolRole.REGISTRAR), true);
        }
        URI requestUri = request.getRequestURI();
        if (Request.OPTIONS.equals(method) && addresses.isOurs(requestUri) && ((SipURI) requestUri).getUser() == null) {
            return new Destination.Local(Response.OK); // RFC 3261 §11: an OPTIONS for the gateway itself
        }
        boolean forOurDomain = requestUri instanceof SipURI sip && domains.contains(sip.getHost().toLowerCase(Locale.ROOT));
        if (fromReplica && !forOurDomain) {
            return new Destination.ToHop(hopOf(requestUri)); // RFC 3261 §16.12: no Route left, the remote target
        }
        // an in-dialog request from outside that names no flow of ours (e.g. a forged To-tag towards a foreign
        // Request-URI) goes to a proxy like an out-of-dialog one: its relay policy decides (403 by default)
        // out of dialog, or the ACK of a non-2xx (its Request-URI is the INVITE's): the proxy replica of the Call-ID;
        // CANCEL and ACK belong to a transaction under way, which a draining replica still finishes
        boolean newTransaction = !Request.CANCEL.equals(method) && !Request.ACK.equals(method);
        return new Destination.ToPool(pools.get(PoolRole.PROXY), newTransaction);
    }

    private void forward(IncomingRequest in, Destination destination, boolean fromReplica) throws SipException {
        Request request = in.request();
        SourceAddress source = in.source();
        decrementMaxForwards(request);
        String branch = Branches.forForwarding(request);
        if (destination instanceof Destination.ToPool toPool) {
            forwardToPool(in, toPool, branch, fromReplica);
            return;
        }
        Hop hop;
        String token = null;
        if (destination instanceof Destination.ToFlow toFlow) {
            Flow flow = toFlow.flow();
            hop = new HopImpl(flow.ip(), flow.port(), flow.transport().token());
            token = tokens.encode(flow);
        } else {
            hop = ((Destination.ToHop) destination).hop();
        }
        Transport transport = Transport.fromToken(hop.getTransport()).orElse(null);
        if (transport == null || !endpoint.get().transports().contains(transport)) {
            reject(in, Response.NOT_FOUND, "Unsupported transport");
            return;
        }
        boolean towardsReplica = membership.isTarget(transport, hop.getHost(), hop.getPort());
        addRecordRoutes(request, source, fromReplica, towardsReplica ? addresses.internal() : addresses.external(), transport, token);
        if (!send(request, hop, transport, towardsReplica, branch)) {
            answerFailure(in, Response.SERVICE_UNAVAILABLE);
            return;
        }
        count(destination instanceof Destination.ToFlow ? "flow" : "route");
    }

    private void forwardToPool(IncomingRequest in, Destination.ToPool toPool, String branch, boolean fromReplica)
            throws SipException {
        Request request = in.request();
        TargetPool pool = toPool.pool();
        String callId = SipHeaders.callId(request);
        Optional<Target> chosen = pool.select(callId, toPool.newTransaction());
        if (chosen.isEmpty()) {
            log.debug("no {} replica available for {} {}", pool.role().tag(), request.getMethod(), callId);
            answerFailure(in, Response.SERVICE_UNAVAILABLE);
            return;
        }
        Transport transport = properties.targetTransport();
        if (Request.REGISTER.equals(request.getMethod()) && !fromReplica) {
            addPath(request, in.source(), transport);
        }
        addRecordRoutes(request, in.source(), fromReplica, addresses.internal(), transport, null);
        for (int attempt = 0; attempt < 2 && chosen.isPresent(); attempt++) {
            Target target = chosen.get();
            Hop hop = new HopImpl(target.address().ip(), target.address().port(), transport.token());
            try {
                sendOrThrow(request, hop, transport, true, branch);
                pool.countForwarded(target);
                count(pool.role().tag());
                return;
            } catch (SipException | RuntimeException e) {
                log.debug("sending {} to {} failed: {}", request.getMethod(), target.address(), e.toString());
                target.sendFailed(e);
                request.removeFirst(ViaHeader.NAME);
                chosen = toPool.newTransaction() ? pool.selectOtherThan(callId, target) : Optional.empty();
            }
        }
        answerFailure(in, Response.SERVICE_UNAVAILABLE);
    }

    private boolean send(Request request, Hop hop, Transport transport, boolean towardsReplica, String branch) {
        try {
            sendOrThrow(request, hop, transport, towardsReplica, branch);
            return true;
        } catch (SipException | RuntimeException e) {
            log.debug("sending {} to {} failed: {}", request.getMethod(), hop, e.toString());
            return false;
        }
    }

    private void sendOrThrow(Request request, Hop hop, Transport transport, boolean towardsReplica, String branch)
            throws SipException {
        try {
            ViaHeader via = factories.headers().createViaHeader(towardsReplica ? addresses.internal() : addresses.external(),
                    addresses.port(), transport.token(), branch);
            via.setRPort();
            request.addFirst(via);
        } catch (ParseException | InvalidArgumentException e) {
            throw new SipException("cannot build our Via", e);
        }
        HopRouter.sendTo(request, hop);
        endpoint.get().provider(transport).sendRequest(request);
    }

    /** RFC 3327 §5.1: the registrar stores this Path with the binding; requests to the contact then come back here. */
    private void addPath(Request request, SourceAddress source, Transport towardsRegistrar) throws SipException {
        String token = tokens.encode(Flow.of(source));
        SipURI uri = addresses.uri(addresses.internal(), token, towardsRegistrar);
        try {
            request.addFirst(factories.headers().createHeader("Path", "<" + uri + ">"));
        } catch (ParseException e) {
            throw new SipException("cannot build Path", e);
        }
    }

    /**
     * RFC 5658 double Record-Route on a dialog-creating request: the entry on top faces the next hop, the one below
     * faces where the request came from; an entry facing a user agent carries the token of its flow.
     */
    private void addRecordRoutes(Request request, SourceAddress source, boolean fromReplica, String outwardHost,
            Transport outwardTransport, String outwardToken) throws SipException {
        if (properties.recordRoute() != GatewayProperties.RecordRouteMode.ALWAYS
                || !DIALOG_CREATING.contains(request.getMethod()) || SipHeaders.toTag(request).isPresent()) {
            return;
        }
        SipURI inward = addresses.uri(fromReplica ? addresses.internal() : addresses.external(),
                fromReplica ? null : tokens.encode(Flow.of(source)), source.transport());
        SipURI outward = addresses.uri(outwardHost, outwardToken, outwardTransport);
        request.addFirst(recordRoute(inward));
        if (!outward.equals(inward)) {
            request.addFirst(recordRoute(outward));
        }
    }

    private RecordRouteHeader recordRoute(SipURI uri) {
        Address address = factories.addresses().createAddress(uri);
        return factories.headers().createRecordRouteHeader(address);
    }

    private void decrementMaxForwards(Request request) throws SipException {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        try {
            if (mf == null) {
                request.setHeader(factories.headers().createMaxForwardsHeader(70)); // RFC 3261 §16.6 step 3
            } else {
                mf.decrementMaxForwards();
            }
        } catch (InvalidArgumentException | javax.sip.header.TooManyHopsException e) {
            throw new SipException("Max-Forwards", e);
        }
    }

    private boolean isReplica(Hop hop) {
        return Transport.fromToken(hop.getTransport())
                .map(t -> membership.isTarget(t, hop.getHost(), hop.getPort()))
                .orElse(false);
    }

    /** RFC 3261 §16.6 step 7 with RFC 3263 reduced to what a Route or Contact here carries: host, port, transport. */
    private static Hop hopOf(URI uri) {
        if (!(uri instanceof SipURI sip)) {
            throw new IllegalArgumentException("not a SIP URI: " + uri);
        }
        String transport = sip.getTransportParam() != null ? sip.getTransportParam().toLowerCase(Locale.ROOT) : "udp";
        int port = sip.getPort() > 0 ? sip.getPort() : 5060;
        return new HopImpl(sip.getMAddrParam() != null ? sip.getMAddrParam() : sip.getHost(), port, transport);
    }

    private boolean tooLarge(Request request) {
        SIPMessage message = (SIPMessage) request;
        byte[] body = request.getRawContent();
        return message.getSize() + (body == null ? 0 : body.length) > properties.maxMessageSize();
    }

    private void answerFailure(IncomingRequest in, int status) {
        if (Request.ACK.equals(in.method())) {
            return;
        }
        try {
            in.respondRetryAfter(status, RETRY_AFTER_SECONDS);
            count("rejected-" + status);
        } catch (SipException | RuntimeException e) {
            log.debug("cannot answer {}: {}", in.method(), e.toString());
        }
    }

    private void reject(IncomingRequest in, int status) throws SipException {
        if (!Request.ACK.equals(in.method())) {
            in.respond(status);
            count(status == Response.OK ? "local" : "rejected-" + status);
        }
    }

    private void reject(IncomingRequest in, int status, String reason) throws SipException {
        if (!Request.ACK.equals(in.method())) {
            in.respond(in.response(status, reason));
            count("rejected-" + status);
        }
    }

    private void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> Counter.builder("siplane.gateway.requests")
                .description("requests handled by the SIP edge, by outcome").tag("outcome", o).register(meters)).increment();
    }
}
