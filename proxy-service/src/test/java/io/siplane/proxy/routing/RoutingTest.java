package io.siplane.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.LocationUnavailableException;
import io.siplane.location.ReceivedFrom;
import io.siplane.sip.Transport;
import io.siplane.sip.transport.NextHop;

class RoutingTest {

    private final LocalDomains domains = new LocalDomains(List.of("example.com", "example.org"), Set.of("10.0.0.5"),
            Set.of(5080), List.of("proxy.example.com", "edge.example.com:5060"));

    private static Binding binding(String contact, List<String> path, Optional<ReceivedFrom> received) {
        Instant now = Instant.now();
        return new Binding(contact, now.plusSeconds(60), Optional.of(0.7), "call", 1, path, received, Optional.empty(),
                Optional.empty(), OptionalInt.empty(), now);
    }

    @Test
    void domainsAndOwnAddressesAreLocalOtherHostsAreNot() {
        assertThat(domains.isLocal("EXAMPLE.com", -1)).isTrue();
        assertThat(domains.isLocal("example.org", 5060)).isTrue();
        assertThat(domains.isLocal("10.0.0.5", 5080)).isTrue();
        assertThat(domains.isLocal("10.0.0.5", 5060)).as("another port on our host is someone else").isFalse();
        assertThat(domains.isLocal("10.0.0.5", -1)).as("no port means 5060").isFalse();
        assertThat(domains.isLocal("proxy.example.com", 5080)).isTrue();
        assertThat(domains.isLocal("edge.example.com", -1)).isTrue();
        assertThat(domains.isLocal("elsewhere.example", -1)).isFalse();
    }

    @Test
    void ownAddressStandsForTheFirstDomainAndAPortInADomainUriIsIgnored() {
        assertThat(domains.addressOfRecord("sip", "bob", "10.0.0.5", 5080)).contains(AddressOfRecord.of("bob", "example.com"));
        assertThat(domains.addressOfRecord("sip", "bob", "example.org", 5080)).contains(AddressOfRecord.of("bob", "example.org"));
        assertThat(domains.addressOfRecord("sip", null, "example.org", -1)).isEmpty();
        assertThat(domains.addressOfRecord("sip", "bob", "elsewhere.example", -1)).isEmpty();
    }

    @Test
    void hostAndPortComeOutOfContactUris() {
        assertThat(HostPort.ofUri("sip:bob@192.0.2.1:5062;transport=tcp")).contains(new HostPort("192.0.2.1", 5062));
        assertThat(HostPort.ofUri("<sips:[2001:db8::1]:5061>")).contains(new HostPort("[2001:db8::1]", 5061));
        assertThat(HostPort.ofUri("sip:phone.example.com")).contains(new HostPort("phone.example.com", -1));
        assertThat(HostPort.parse("192.0.2.1").isIpLiteral()).isTrue();
        assertThat(HostPort.parse("phone.example.com").isIpLiteral()).isFalse();
        assertThatThrownBy(() -> HostPort.parse("host:99999")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void udpBindingWithAPrivateContactIsReachedWhereItRegisteredFrom() {
        Binding natted = binding("sip:bob@192.168.1.20:5060", List.of(), Optional.of(new ReceivedFrom("udp", "203.0.113.9", 40001)));

        assertThat(TargetResolver.natFlow(natted)).contains(new NextHop("203.0.113.9", 40001, Transport.UDP));
    }

    @Test
    void noNatFlowWithPathOverTcpForHostNamesOrWhenOnlyThePortDiffers() {
        ReceivedFrom udp = new ReceivedFrom("udp", "203.0.113.9", 40001);
        assertThat(TargetResolver.natFlow(binding("sip:bob@192.168.1.20", List.of("<sip:edge.example.com;lr>"), Optional.of(udp))))
                .as("the Path leads there").isEmpty();
        assertThat(TargetResolver.natFlow(binding("sip:bob@192.168.1.20", List.of(),
                Optional.of(new ReceivedFrom("tcp", "203.0.113.9", 40001))))).as("a TCP flow belongs to its edge").isEmpty();
        assertThat(TargetResolver.natFlow(binding("sip:bob@phone.example.com", List.of(), Optional.of(udp)))).isEmpty();
        assertThat(TargetResolver.natFlow(binding("sip:bob@203.0.113.9:5060", List.of(), Optional.of(udp)))).isEmpty();
    }

    @Test
    void resolutionTellsUnknownUsersFromUnregisteredOnesAndAnOutageFromBoth() {
        AddressOfRecord bob = AddressOfRecord.of("bob", "example.com");
        Binding b = binding("sip:bob@192.0.2.1:5062", List.of("<sip:edge.example.com;lr>"), Optional.empty());

        assertThat(new TargetResolver(lookup(List.of(b), true)).resolve(bob)).isEqualTo(new Resolution.Targets(
                List.of(new ContactTarget("sip:bob@192.0.2.1:5062", 0.7, List.of("<sip:edge.example.com;lr>"), Optional.empty()))));
        assertThat(new TargetResolver(lookup(List.of(), true)).resolve(bob)).isInstanceOf(Resolution.NotRegistered.class);
        assertThat(new TargetResolver(lookup(List.of(), false)).resolve(bob)).isInstanceOf(Resolution.UnknownUser.class);
        assertThat(new TargetResolver(new BindingLookup() {
            @Override
            public List<Binding> lookup(AddressOfRecord aor) {
                throw new LocationUnavailableException("down", null);
            }

            @Override
            public boolean isSubscriber(AddressOfRecord aor) {
                throw new LocationUnavailableException("down", null);
            }
        }).resolve(bob)).isInstanceOf(Resolution.StoreUnavailable.class);
    }

    private static BindingLookup lookup(List<Binding> bindings, boolean subscriber) {
        return new BindingLookup() {
            @Override
            public List<Binding> lookup(AddressOfRecord aor) {
                return bindings;
            }

            @Override
            public boolean isSubscriber(AddressOfRecord aor) {
                return subscriber;
            }
        };
    }
}
