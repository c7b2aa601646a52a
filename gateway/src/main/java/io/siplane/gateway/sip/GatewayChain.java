package io.siplane.gateway.sip;

import javax.sip.message.Response;

import gov.nist.javax.sip.message.SIPMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.gateway.GatewayProperties;
import io.siplane.gateway.flood.FloodGuard;
import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.chain.RequestStep;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.chain.StockSteps;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.transport.SipSender;

/**
 * Every request that reaches the gateway, as one list of named steps (the first that answers ends it):
 *
 * <ol>
 *   <li><b>flood</b>: beyond its source address's rate, dropped unanswered (replicas exempt);</li>
 *   <li><b>size</b>: larger than {@code gateway.max-message-size}, 513;</li>
 *   <li><b>Max-Forwards</b>: 0, 483 (RFC 3261 §16.3 step 3);</li>
 *   <li><b>our routes</b> ({@link OurRoutes}): our Route entries popped, the flow their token names noted; a forged
 *       token, 403;</li>
 *   <li><b>destination</b> ({@link DestinationRules}): a flow, a replica's Route / Request-URI, a registrar or a proxy
 *       replica; 403 when the request would use us as an open relay; 200 for an OPTIONS to the gateway itself;</li>
 *   <li><b>forward</b> ({@link StatelessForwarding}): Max-Forwards − 1, Path, Record-Route, our Via, send; 503 when
 *       no replica takes it.</li>
 * </ol>
 *
 * ACK is never answered (RFC 3261 §17.1.1.3): any step that refuses an ACK drops it. CANCEL and ACK go to the
 * replica of their transaction, even a draining one. The chain runs on the thread that read the message and never
 * blocks: membership and flood state are in memory.
 */
public final class GatewayChain {

    private final Membership membership;
    private final FloodGuard flood;
    private final int maxMessageSize;
    private final Outcomes outcomes;

    private GatewayChain(Membership membership, FloodGuard flood, GatewayProperties properties, Outcomes outcomes) {
        this.membership = membership;
        this.flood = flood;
        this.maxMessageSize = properties.maxMessageSize();
        this.outcomes = outcomes;
    }

    public static RequestChain build(SipSender sender, GatewayAddresses addresses, GatewayProperties properties,
            Membership membership, FloodGuard flood, FlowTokens tokens, MeterRegistry meters) {
        Outcomes outcomes = new Outcomes(meters);
        GatewayChain gateway = new GatewayChain(membership, flood, properties, outcomes);
        return RequestChain.named("gateway")
                .step("flood", gateway.relayed(gateway::admittedByFloodGuard))
                .step("size", gateway::withinMaximumSize)
                .step("Max-Forwards", outcomes.check(StockSteps.maxForwards(), "rejected-" + Response.TOO_MANY_HOPS))
                .step("our routes", gateway.relayed(new OurRoutes(addresses, tokens, outcomes)))
                .step("destination", gateway.relayed(new DestinationRules(addresses, membership, properties.domains(), outcomes)))
                .step("forward", gateway.relayed(new StatelessForwarding(sender, addresses, properties, membership, tokens, outcomes)))
                .build();
    }

    /** A request from outside beyond its source's rate is dropped unanswered: answering a flood feeds it. */
    Verdict admittedByFloodGuard(Relay relay) {
        if (relay.fromReplica() || flood.admit(relay.in().source().address())) {
            return Verdict.NEXT;
        }
        return Verdict.DONE;
    }

    /** RFC 3261 §21.5.14: 513 for a request larger than we forward. */
    Verdict withinMaximumSize(IncomingRequest in) throws Exception {
        SIPMessage message = (SIPMessage) in.request();
        byte[] body = message.getRawContent();
        if (message.getSize() + (body == null ? 0 : body.length) <= maxMessageSize) {
            return Verdict.NEXT;
        }
        return outcomes.refuse(in, Response.MESSAGE_TOO_LARGE);
    }

    /** A gateway step, given the request's {@link Relay} (made on first use, with where the packet came from). */
    private RequestStep relayed(RelayStep step) {
        return in -> step.apply(in.state(Relay.class, this::relayOf));
    }

    private Relay relayOf(IncomingRequest in) {
        SourceAddress source = in.source();
        return new Relay(in, membership.isTarget(source.transport(), source.address(), source.port()));
    }
}
