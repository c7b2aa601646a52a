package io.siplane.proxy.sip.relay;

import java.util.List;
import java.util.Optional;

import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.LocationUnavailableException;
import io.siplane.proxy.sip.relay.RoutePreprocessor.RoutedHere;
import io.siplane.proxy.routing.HostPort;
import io.siplane.proxy.routing.LocalDomains;

/**
 * No open relay for requests inside a dialog. The proxy keeps no dialog state, so a To-tag proves nothing: an
 * in-dialog request (and the ACK of a 2xx) is relayed only
 * <ul>
 *   <li>along a Record-Route entry this proxy signed for the Call-ID ({@link RecordRouteSignature}), or</li>
 *   <li>with no Route left, to one of our domains or to a contact registered for the To AOR (a user agent using
 *       the proxy as outbound proxy, or the gateway handing over a request that carried no route of its own),</li>
 *   <li>or anywhere when {@code proxy.relay-foreign-domains} is on.</li>
 * </ul>
 */
public final class InDialogRelayPolicy {

    /** What to do with an in-dialog request. */
    public enum Decision { RELAY, DENY, STORE_UNAVAILABLE }

    private final boolean relayForeignDomains;
    private final LocalDomains domains;
    private final BindingLookup bindings;

    public InDialogRelayPolicy(boolean relayForeignDomains, LocalDomains domains, BindingLookup bindings) {
        this.relayForeignDomains = relayForeignDomains;
        this.domains = domains;
        this.bindings = bindings;
    }

    /** @param request after route pre-processing (our Route entries removed) */
    public Decision decide(Request request, RoutedHere routedHere) {
        if (relayForeignDomains || routedHere == RoutedHere.RECORD_ROUTED) {
            return Decision.RELAY;
        }
        if (request.getHeader(RouteHeader.NAME) != null || !(request.getRequestURI() instanceof SipURI target)) {
            return Decision.DENY;
        }
        if (domains.isLocal(target.getHost(), target.getPort())) {
            return Decision.RELAY;
        }
        try {
            return registeredForTo(request, target) ? Decision.RELAY : Decision.DENY;
        } catch (LocationUnavailableException e) {
            return Decision.STORE_UNAVAILABLE;
        }
    }

    private boolean registeredForTo(Request request, SipURI target) {
        Optional<AddressOfRecord> to = toAor(request);
        Optional<HostPort> targetHop = HostPort.ofUri(target.toString());
        if (to.isEmpty() || targetHop.isEmpty()) {
            return false;
        }
        List<Binding> registered = bindings.lookup(to.get());
        return registered.stream()
                .map(b -> HostPort.ofUri(b.contactUri()))
                .flatMap(Optional::stream)
                .anyMatch(c -> c.host().equals(targetHop.get().host()) && c.portOr5060() == targetHop.get().portOr5060());
    }

    private Optional<AddressOfRecord> toAor(Request request) {
        if (!(((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI() instanceof SipURI to)) {
            return Optional.empty();
        }
        try {
            return domains.addressOfRecord(to.getScheme(), to.getUser(), to.getHost(), to.getPort());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
