package io.siplane.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import org.junit.jupiter.api.Test;

import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;

/** The client's real address: the packet's source, or behind a trusted edge what the edge wrote in the next Via. */
class ClientAddressResolverTest {

    private static final SourceAddress GATEWAY = new SourceAddress(Transport.UDP, "10.0.0.9", 5060);

    private final SipFactories f = SipFactories.get();
    private final ClientAddressResolver resolver = new ClientAddressResolver(List.of("10.0.0.0/24", " ", "fd00::/8"));

    private Request request(String... vias) throws Exception {
        List<ViaHeader> headers = new ArrayList<>();
        for (String via : vias) {
            headers.add((ViaHeader) f.headers().createHeader(ViaHeader.NAME, via));
        }
        return f.messages().createRequest(f.addresses().createURI("sip:example.com"), Request.REGISTER,
                f.headers().createCallIdHeader("client-address-test"), f.headers().createCSeqHeader(1L, Request.REGISTER),
                f.headers().createFromHeader(f.addresses().createAddress("sip:a@example.com"), "t"),
                f.headers().createToHeader(f.addresses().createAddress("sip:a@example.com"), null),
                headers, f.headers().createMaxForwardsHeader(70));
    }

    @Test
    void fromATrustedEdgeTheClientIsTheReceivedAndRportOfTheViaBelowTheEdges() throws Exception {
        Request r = request("SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKedge",
                "SIP/2.0/TCP 192.168.1.20:5062;branch=z9hG4bKphone;received=198.51.100.7;rport=41000");

        assertThat(resolver.clientOf(r, GATEWAY)).isEqualTo(new SourceAddress(Transport.TCP, "198.51.100.7", 41000));
    }

    @Test
    void withoutReceivedOrRportTheSentByOfTheClientsViaIsTheClient() throws Exception {
        Request r = request("SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKedge", "SIP/2.0/UDP 198.51.100.8;branch=z9hG4bKphone");

        assertThat(resolver.clientOf(r, GATEWAY)).isEqualTo(new SourceAddress(Transport.UDP, "198.51.100.8", 5060));
    }

    @Test
    void aClientSendingStraightToTheServiceIsItsSourceWhateverViasItForges() throws Exception {
        SourceAddress attacker = new SourceAddress(Transport.UDP, "203.0.113.66", 5060);
        Request r = request("SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKforged",
                "SIP/2.0/UDP 198.51.100.9:5060;branch=z9hG4bKvictim;received=198.51.100.9;rport=5060");

        assertThat(resolver.clientOf(r, attacker)).isEqualTo(attacker);
    }

    @Test
    void theEdgesOwnRequestWithASingleViaIsTheEdge() throws Exception {
        assertThat(resolver.clientOf(request("SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKping"), GATEWAY)).isEqualTo(GATEWAY);
    }

    @Test
    void anOlderServicePropertyAddsEdgesAndEveryEntryMustBeAnAddressOrBlock() {
        assertThat(resolver.isTrustedEdge("10.0.1.1")).isFalse();
        assertThat(resolver.alsoTrusting(List.of("10.0.1.1")).isTrustedEdge("10.0.1.1")).isTrue();
        assertThat(resolver.isTrustedEdge("fd12::1")).isTrue();
        assertThatThrownBy(() -> new ClientAddressResolver(List.of("gateway.example"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedEdgeProperties(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
