package io.siplane.proxy.relay;

import java.util.List;
import java.util.Optional;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.LocationUnavailableException;
import io.siplane.proxy.routing.HostPort;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.proxy.routing.SipUriParts;

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

    /**
     * @param routedHere how a Route of ours brought the request
     * @param routeLeft  whether a Route is left after route pre-processing (ours removed)
     * @param target     the Request-URI after route pre-processing, empty when it is not a SIP URI
     * @param to         the To URI, empty when it is not a SIP URI
     */
    public Decision decide(RoutedHere routedHere, boolean routeLeft, Optional<SipUriParts> target, Optional<SipUriParts> to) {
        if (relayForeignDomains || routedHere == RoutedHere.RECORD_ROUTED) {
            return Decision.RELAY;
        }
        if (routeLeft || target.isEmpty()) {
            return Decision.DENY;
        }
        if (domains.isLocal(target.get().host(), target.get().port())) {
            return Decision.RELAY;
        }
        try {
            return registeredForTo(to, target.get()) ? Decision.RELAY : Decision.DENY;
        } catch (LocationUnavailableException e) {
            return Decision.STORE_UNAVAILABLE;
        }
    }

    private boolean registeredForTo(Optional<SipUriParts> toUri, SipUriParts target) {
        Optional<AddressOfRecord> to = toUri.flatMap(this::aorOf);
        Optional<HostPort> targetHop = HostPort.ofUri(target.text());
        if (to.isEmpty() || targetHop.isEmpty()) {
            return false;
        }
        List<Binding> registered = bindings.lookup(to.get());
        return registered.stream()
                .map(b -> HostPort.ofUri(b.contactUri()))
                .flatMap(Optional::stream)
                .anyMatch(c -> c.host().equals(targetHop.get().host()) && c.portOr5060() == targetHop.get().portOr5060());
    }

    private Optional<AddressOfRecord> aorOf(SipUriParts to) {
        try {
            return domains.addressOfRecord(to.scheme(), to.user(), to.host(), to.port());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
