package io.siplane.gateway.sip;

import java.util.ListIterator;
import java.util.Optional;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.gateway.routing.Flow;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.sip.chain.RequestStep.Verdict;

/**
 * The step "our routes": RFC 3261 §16.4, our own entries at the top of Route are removed. Entries carrying a flow
 * token name a user agent's flow; the one that is not the flow this request arrived on is where it goes (RFC 5626
 * §5.3: a request arriving over the flow travels away from that user agent). Both entries of a double Record-Route
 * go together. A token that does not verify gets 403 (RFC 5626 §5.3).
 */
final class OurRoutes implements RelayStep {

    private final GatewayAddresses addresses;
    private final FlowTokens tokens;
    private final Outcomes outcomes;

    OurRoutes(GatewayAddresses addresses, FlowTokens tokens, Outcomes outcomes) {
        this.addresses = addresses;
        this.tokens = tokens;
        this.outcomes = outcomes;
    }

    @Override
    public Verdict apply(Relay relay) throws Exception {
        Request request = relay.in().request();
        ListIterator<?> routes = request.getHeaders(RouteHeader.NAME);
        int ours = 0;
        while (routes != null && routes.hasNext()) {
            URI uri = ((RouteHeader) routes.next()).getAddress().getURI();
            if (!addresses.isOurs(uri)) {
                break;
            }
            ours++;
            String user = ((SipURI) uri).getUser();
            if (user != null && !user.isEmpty()) {
                Optional<Flow> flow = tokens.decode(user);
                if (flow.isEmpty()) {
                    return outcomes.refuse(relay.in(), Response.FORBIDDEN, "Invalid flow token");
                }
                if (relay.flow().isEmpty() && !flow.get().is(relay.in().source())) {
                    relay.flow(flow.get());
                }
            }
        }
        for (int i = 0; i < ours; i++) {
            request.removeFirst(RouteHeader.NAME);
        }
        return Verdict.NEXT;
    }
}
