package io.siplane.proxy.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.Reachability;
import io.siplane.location.ReceivedFrom;
import io.siplane.sip.Transport;
import io.siplane.sip.transport.NextHop;

/**
 * ContactTarget resolution for an AOR of ours (RFC 3261 §16.5) through the location client's near-cache: each binding becomes
 * a {@link ContactTarget} in the store's preference order (q, then newest).
 *
 * <p>NAT: a binding registered over UDP without Path whose contact is an IP literal other than the address the
 * REGISTER came from is reached at that source address instead (the contact is a private address behind NAT; the
 * source is where the NAT binding is). Port-only differences are not taken as NAT: over TCP the source port is
 * ephemeral and only the element holding the connection could use it (the edge that adds a Path does).
 */
public final class TargetResolver {

    private final BindingLookup lookup;

    public TargetResolver(BindingLookup lookup) {
        this.lookup = lookup;
    }

    public Resolution resolve(AddressOfRecord aor) {
        Reachability reachability = Reachability.of(lookup, aor);
        if (reachability instanceof Reachability.Registered registered) {
            return new Resolution.Targets(registered.bindings().stream().map(TargetResolver::targetOf).toList());
        }
        if (reachability instanceof Reachability.NotRegistered) {
            return new Resolution.NotRegistered();
        }
        if (reachability instanceof Reachability.UnknownUser) {
            return new Resolution.UnknownUser();
        }
        return new Resolution.StoreUnavailable();
    }

    static ContactTarget targetOf(Binding binding) {
        return new ContactTarget(binding.contactUri(), binding.effectiveQ(), binding.path(), natFlow(binding));
    }

    static Optional<NextHop> natFlow(Binding binding) {
        if (!binding.path().isEmpty() || binding.received().isEmpty()) {
            return Optional.empty();
        }
        ReceivedFrom source = binding.received().get();
        if (!"udp".equals(source.transport()) || source.port() == 0) {
            return Optional.empty();
        }
        Optional<HostPort> contact = HostPort.ofUri(binding.contactUri());
        if (contact.isEmpty() || !contact.get().isIpLiteral() || sameAddress(contact.get().host(), source.address())) {
            return Optional.empty();
        }
        return Optional.of(new NextHop(source.address(), source.port(), Transport.UDP));
    }

    private static boolean sameAddress(String literal, String other) {
        try {
            String a = literal.startsWith("[") ? literal.substring(1, literal.length() - 1) : literal;
            String b = other.startsWith("[") ? other.substring(1, other.length() - 1) : other;
            // both are literals: no DNS query happens
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return literal.equalsIgnoreCase(other);
        }
    }
}
