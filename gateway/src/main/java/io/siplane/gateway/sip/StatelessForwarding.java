package io.siplane.gateway.sip;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.TooManyHopsException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.gateway.GatewayProperties;
import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.membership.Target;
import io.siplane.gateway.membership.TargetPool;
import io.siplane.gateway.routing.Flow;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.transport.NextHop;
import io.siplane.sip.transport.SipSender;

/**
 * The step "forward", statelessly (RFC 3261 §16.11: no transaction, so a message costs a parse and a send):
 * Max-Forwards − 1, Path with a flow token on REGISTER (RFC 3327), double Record-Route on dialog-creating requests
 * (RFC 5658), our Via with a deterministic branch ({@link ViaBranches}), send. A new transaction whose replica
 * refuses the send is tried once on another; nothing sent gets 503 with Retry-After.
 */
final class StatelessForwarding implements RelayStep {

    /** RFC 3261 §12.1: the methods that create dialogs in this platform's world (INVITE, RFC 6665 SUBSCRIBE, RFC 3515 REFER). */
    private static final Set<String> DIALOG_CREATING = Set.of(Request.INVITE, Request.SUBSCRIBE, Request.REFER);

    private final SipSender sender;
    private final SipFactories factories;
    private final GatewayAddresses addresses;
    private final HeaderTemplates headers;
    private final Membership membership;
    private final FlowTokens tokens;
    private final Transport targetTransport;
    private final boolean recordRoute;
    private final Outcomes outcomes;

    StatelessForwarding(SipSender sender, GatewayAddresses addresses, GatewayProperties properties, Membership membership,
            FlowTokens tokens, Outcomes outcomes) {
        this.sender = sender;
        this.factories = SipFactories.get();
        this.addresses = addresses;
        this.headers = new HeaderTemplates(factories, addresses);
        this.membership = membership;
        this.tokens = tokens;
        this.targetTransport = properties.targetTransport();
        this.recordRoute = properties.recordRoute() == GatewayProperties.RecordRouteMode.ALWAYS;
        this.outcomes = outcomes;
    }

    @Override
    public Verdict apply(Relay relay) throws Exception {
        IncomingRequest in = relay.in();
        Request request = in.request();
        decrementMaxForwards(request);
        String branch = ViaBranches.forForwarding(request);
        Destination destination = relay.destination();
        if (destination instanceof Destination.ToPool toPool) {
            return toReplica(relay, toPool, branch);
        }
        NextHop hop;
        String token = null;
        if (destination instanceof Destination.ToFlow toFlow) {
            Flow flow = toFlow.flow();
            hop = new NextHop(flow.ip(), flow.port(), flow.transport());
            token = tokens.encode(flow);
        } else {
            hop = ((Destination.ToHop) destination).hop();
        }
        if (!sender.offers(hop.transport())) {
            return outcomes.refuse(in, Response.NOT_FOUND, "Unsupported transport");
        }
        boolean towardsReplica = membership.isTarget(hop.transport(), hop.host(), hop.port());
        addRecordRoutes(relay, towardsReplica ? addresses.internal() : addresses.external(), hop.transport(), token);
        try {
            send(request, hop, towardsReplica, branch);
        } catch (SipException | RuntimeException e) {
            return outcomes.refuseRetryLater(in, Response.SERVICE_UNAVAILABLE);
        }
        outcomes.count(destination instanceof Destination.ToFlow ? "flow" : "route");
        return Verdict.DONE;
    }

    private Verdict toReplica(Relay relay, Destination.ToPool toPool, String branch) throws SipException {
        IncomingRequest in = relay.in();
        Request request = in.request();
        TargetPool pool = toPool.pool();
        String callId = SipHeaders.callId(request);
        Optional<Target> chosen = pool.select(callId, toPool.newTransaction());
        if (chosen.isEmpty()) {
            return outcomes.refuseRetryLater(in, Response.SERVICE_UNAVAILABLE);
        }
        if (Request.REGISTER.equals(request.getMethod()) && !relay.fromReplica()) {
            // RFC 3327 §5.1: the registrar stores this Path with the binding; requests to the contact come back here
            request.addFirst(headers.path(tokens.encode(Flow.of(in.source())), targetTransport));
        }
        addRecordRoutes(relay, addresses.internal(), targetTransport, null);
        for (int attempt = 0; attempt < 2 && chosen.isPresent(); attempt++) {
            Target target = chosen.get();
            try {
                send(request, new NextHop(target.address().ip(), target.address().port(), targetTransport), true, branch);
                pool.countForwarded(target);
                outcomes.count(pool.role().tag());
                return Verdict.DONE;
            } catch (SipException | RuntimeException e) {
                target.sendFailed(e);
                request.removeFirst(ViaHeader.NAME);
                chosen = toPool.newTransaction() ? pool.selectOtherThan(callId, target) : Optional.empty();
            }
        }
        return outcomes.refuseRetryLater(in, Response.SERVICE_UNAVAILABLE);
    }

    private void send(Request request, NextHop hop, boolean towardsReplica, String branch) throws SipException {
        request.addFirst(headers.via(towardsReplica ? addresses.internal() : addresses.external(), hop.transport(), branch));
        sender.sendRequest(request, hop);
    }

    /**
     * RFC 5658 double Record-Route on a dialog-creating request: the entry on top faces the next hop, the one below
     * faces where the request came from; an entry facing a user agent carries the token of its flow.
     */
    private void addRecordRoutes(Relay relay, String outwardHost, Transport outwardTransport, String outwardToken)
            throws SipException {
        Request request = relay.in().request();
        if (!recordRoute || !DIALOG_CREATING.contains(request.getMethod()) || SipHeaders.toTag(request).isPresent()) {
            return;
        }
        SourceAddress source = relay.in().source();
        String inwardHost = relay.fromReplica() ? addresses.internal() : addresses.external();
        String inwardToken = relay.fromReplica() ? null : tokens.encode(Flow.of(source));
        boolean sameEntry = inwardHost.equals(outwardHost) && source.transport() == outwardTransport
                && Objects.equals(inwardToken, outwardToken);
        request.addFirst(headers.recordRoute(inwardHost, inwardToken, source.transport()));
        if (!sameEntry) {
            request.addFirst(headers.recordRoute(outwardHost, outwardToken, outwardTransport));
        }
    }

    private void decrementMaxForwards(Request request) throws SipException {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        try {
            if (mf == null) {
                request.setHeader(factories.headers().createMaxForwardsHeader(70)); // RFC 3261 §16.6 step 3
            } else {
                mf.decrementMaxForwards();
            }
        } catch (InvalidArgumentException | TooManyHopsException e) {
            throw new SipException("Max-Forwards", e);
        }
    }
}
