package io.siplane.gateway.sip;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.TargetPool;
import io.siplane.sip.Transport;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.transport.NextHop;

/**
 * The step "destination": a user agent's flow named by our Route, the next Route inside a dialog when it names a
 * replica (else 403: no open relay), a registrar replica for REGISTER, else a proxy replica by Call-ID (a preloaded
 * Route beyond us is dropped); a replica's requests follow their Route or Request-URI. An OPTIONS addressed to the
 * gateway itself is answered here (RFC 3261 §11).
 */
final class DestinationRules implements RelayStep {

    private final GatewayAddresses addresses;
    private final Membership membership;
    private final Map<PoolRole, TargetPool> pools;
    private final Set<String> domains;
    private final Outcomes outcomes;

    DestinationRules(GatewayAddresses addresses, Membership membership, Collection<String> domains, Outcomes outcomes) {
        this.addresses = addresses;
        this.membership = membership;
        Map<PoolRole, TargetPool> byRole = new EnumMap<>(PoolRole.class);
        membership.pools().forEach(p -> byRole.put(p.role(), p));
        this.pools = byRole;
        this.domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        this.outcomes = outcomes;
    }

    @Override
    public Verdict apply(Relay relay) throws Exception {
        Destination destination = destinationOf(relay);
        if (destination instanceof Destination.Local local) {
            return outcomes.answer(relay.in(), local.status());
        }
        if (destination instanceof Destination.Denied) {
            return outcomes.refuse(relay.in(), Response.FORBIDDEN, "Relaying Denied");
        }
        if (destination instanceof Destination.Unreachable unreachable) {
            return outcomes.refuse(relay.in(), Response.NOT_FOUND, unreachable.why());
        }
        relay.destination(destination);
        return Verdict.NEXT;
    }

    Destination destinationOf(Relay relay) {
        if (relay.flow().isPresent()) {
            return new Destination.ToFlow(relay.flow().get());
        }
        Request request = relay.in().request();
        String method = request.getMethod();
        boolean inDialog = SipHeaders.toTag(request).isPresent();
        RouteHeader nextRoute = (RouteHeader) request.getHeader(RouteHeader.NAME);
        // No open relay: a request from outside goes to a flow we signed (above) or to one of our replicas, never
        // where a Route or Request-URI it chose points. A replica's Route set is followed as it is.
        if (nextRoute != null && relay.fromReplica()) {
            return towards(nextRoute.getAddress().getURI());
        }
        if (nextRoute != null && inDialog) {
            // a Route set beyond us inside a dialog: only towards a replica that record-routed (a proxy with
            // Record-Route on); a forged To-tag with a Route elsewhere is refused
            Optional<NextHop> hop = hopOf(nextRoute.getAddress().getURI());
            if (hop.isPresent() && isReplica(hop.get())) {
                return new Destination.ToHop(hop.get());
            }
            if (!Request.ACK.equals(method)) {
                return new Destination.Denied("in-dialog Route to " + nextRoute.getAddress().getURI());
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
        if (relay.fromReplica() && !forOurDomain) {
            return towards(requestUri); // RFC 3261 §16.12: no Route left, the remote target
        }
        // an in-dialog request from outside that names no flow of ours (e.g. a forged To-tag towards a foreign
        // Request-URI) goes to a proxy like an out-of-dialog one: its relay policy decides (403 by default)
        // out of dialog, or the ACK of a non-2xx (its Request-URI is the INVITE's): the proxy replica of the Call-ID;
        // CANCEL and ACK belong to a transaction under way, which a draining replica still finishes
        boolean newTransaction = !Request.CANCEL.equals(method) && !Request.ACK.equals(method);
        return new Destination.ToPool(pools.get(PoolRole.PROXY), newTransaction);
    }

    private static Destination towards(URI uri) {
        return hopOf(uri).<Destination>map(Destination.ToHop::new)
                .orElseGet(() -> new Destination.Unreachable("Unsupported transport"));
    }

    private boolean isReplica(NextHop hop) {
        return membership.isTarget(hop.transport(), hop.host(), hop.port());
    }

    /**
     * RFC 3261 §16.6 step 7 with RFC 3263 reduced to what a Route or Contact here carries: host, port, transport.
     * Empty for a transport this gateway does not know.
     */
    static Optional<NextHop> hopOf(URI uri) {
        if (!(uri instanceof SipURI sip)) {
            throw new IllegalArgumentException("not a SIP URI: " + uri);
        }
        String token = sip.getTransportParam() != null ? sip.getTransportParam().toLowerCase(Locale.ROOT) : "udp";
        Optional<Transport> transport = Transport.fromToken(token);
        int port = sip.getPort() > 0 ? sip.getPort() : 5060;
        if (transport.isEmpty() || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new NextHop(sip.getMAddrParam() != null ? sip.getMAddrParam() : sip.getHost(), port, transport.get()));
    }
}
