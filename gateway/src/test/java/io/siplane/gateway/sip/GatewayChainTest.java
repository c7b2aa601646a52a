package io.siplane.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import gov.nist.javax.sip.parser.StringMsgParser;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.gateway.GatewayProperties;
import io.siplane.gateway.flood.FloodGuard;
import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.TargetPool;
import io.siplane.gateway.membership.TargetSpec;
import io.siplane.gateway.routing.Flow;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.Transport;
import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.transport.NextHop;
import io.siplane.sip.transport.SipSender;

/**
 * The gateway's chain without a network: real messages through the real steps, sent to a sender that keeps what it
 * is given. The wire behaviour is covered end to end by GatewayForwardingTest and the platform tests; this pins each
 * step's decision.
 */
class GatewayChainTest {

    static final SourceAddress UA = new SourceAddress(Transport.UDP, "192.0.2.10", 7072);
    static final SourceAddress FLOODER = new SourceAddress(Transport.UDP, "198.51.100.66", 5060);
    static final SourceAddress PROXY = new SourceAddress(Transport.UDP, "127.0.0.1", 5080);

    record Sent(Request request, NextHop hop) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Response> answers = new ArrayList<>();
    final SipSender sender = new SipSender() {
        @Override
        public void sendRequest(Request request, NextHop hop) {
            sent.add(new Sent(request, hop));
        }

        @Override
        public void sendResponse(Response response) {
            answers.add(response);
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.UDP, Transport.TCP);
        }
    };
    final FlowTokens tokens = FlowTokens.withSecret("chain-test-flow-secret-0123456789");
    final RequestChain chain = chain();

    private RequestChain chain() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "sip.bind-address", "127.0.0.1", "sip.port", "5060",
                "gateway.domains", "siplane.test", "gateway.proxy.targets", "127.0.0.1:5080", "gateway.proxy.default-port", "5080",
                "gateway.registrar.targets", "127.0.0.1:5070", "gateway.registrar.default-port", "5070")));
        GatewayProperties properties = binder.bindOrCreate("gateway", GatewayProperties.class);
        GatewayAddresses addresses = GatewayAddresses.of(binder.bindOrCreate("sip", SipProperties.class), "", List.of());
        TargetPool.Settings settings = new TargetPool.Settings(1, 1, Duration.ofSeconds(64), 1000, Duration.ofSeconds(30));
        List<TargetPool> pools = List.of(
                new TargetPool(PoolRole.REGISTRAR, TargetSpec.parse("127.0.0.1:5070", 5070), List::of, CircuitBreakerRegistry.ofDefaults(), meters, settings),
                new TargetPool(PoolRole.PROXY, TargetSpec.parse("127.0.0.1:5080", 5080), List::of, CircuitBreakerRegistry.ofDefaults(), meters, settings));
        Membership membership = new Membership(pools, target -> CompletableFuture.completedFuture(200), Transport.UDP,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(500));
        membership.resolveAndProbeNewcomers();
        // a clock that stands still: no token comes back during the test, however slow the machine; the user agents
        // of the other tests are allowed, the flooding one is not
        FloodGuard flood = new FloodGuard(true, 1, 1, List.of("192.0.2.0/24"), 100, meters, () -> 0L);
        return GatewayChain.build(sender, addresses, properties, membership, flood, tokens, meters);
    }

    private void handle(SourceAddress source, String method, String uri, String... headers) throws Exception {
        StringBuilder text = new StringBuilder(method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + source.address() + ":" + source.port() + ";branch=z9hG4bK-" + method + "\r\n"
                + "From: <sip:alice@siplane.test>;tag=a1\r\nCall-ID: chain-test-1\r\nCSeq: 1 " + method + "\r\n");
        boolean hasTo = false;
        boolean hasMaxForwards = false;
        for (String h : headers) {
            text.append(h).append("\r\n");
            hasTo |= h.startsWith("To:");
            hasMaxForwards |= h.startsWith("Max-Forwards:");
        }
        if (!hasTo) {
            text.append("To: <sip:bob@siplane.test>\r\n");
        }
        if (!hasMaxForwards) {
            text.append("Max-Forwards: 70\r\n");
        }
        text.append("Content-Length: 0\r\n\r\n");
        Request request = (Request) new StringMsgParser().parseSIPMessage(text.toString().getBytes(StandardCharsets.UTF_8), true, false, null);
        chain.handle(new IncomingRequest(request, source, answers::add, SipFactories.get(), ""));
    }

    @Test
    void theStepsReadInTheirOrder() {
        assertThat(chain.stepNames()).containsExactly("flood", "size", "Max-Forwards", "our routes", "destination", "forward");
    }

    @Test
    void anInviteFromAUserAgentGoesToTheProxyWithDoubleRecordRouteAndOurVia() throws Exception {
        handle(UA, "INVITE", "sip:bob@siplane.test");
        assertThat(answers).isEmpty();
        assertThat(sent).hasSize(1);
        Request out = sent.get(0).request();
        assertThat(sent.get(0).hop()).isEqualTo(new NextHop("127.0.0.1", 5080, Transport.UDP));
        assertThat(out.getHeader("Via").toString()).startsWith("Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKgw");
        assertThat(out.getHeader("Max-Forwards").toString().strip()).isEqualTo("Max-Forwards: 69");
        List<String> recordRoutes = new ArrayList<>();
        out.getHeaders("Record-Route").forEachRemaining(h -> recordRoutes.add(h.toString().strip()));
        // RFC 5658: the entry facing the proxy on top, the one facing the user agent (its flow token) below
        assertThat(recordRoutes).containsExactly("Record-Route: <sip:127.0.0.1:5060;transport=udp;lr>",
                "Record-Route: <sip:" + tokens.encode(Flow.of(UA)) + "@127.0.0.1:5060;transport=udp;lr>");
    }

    @Test
    void aRegisterGetsAPathWithTheFlowTokenOfItsSource() throws Exception {
        handle(UA, "REGISTER", "sip:siplane.test", "Contact: <sip:alice@192.0.2.10:7072>");
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.hop().port()).isEqualTo(5070);
            assertThat(s.request().toString()).contains("Path: <sip:" + tokens.encode(Flow.of(UA)) + "@127.0.0.1:5060;transport=udp;lr>");
        });
    }

    @Test
    void aForgedFlowTokenIsRefusedWith403AndNothingIsSent() throws Exception {
        handle(PROXY, "BYE", "sip:alice@192.0.2.10:7072", "To: <sip:bob@siplane.test>;tag=b1",
                "Route: <sip:forged.token@127.0.0.1:5060;transport=udp;lr>");
        assertThat(sent).isEmpty();
        assertThat(answers).singleElement().satisfies(r -> {
            assertThat(r.getStatusCode()).isEqualTo(403);
            assertThat(r.getReasonPhrase()).isEqualTo("Invalid flow token");
        });
    }

    @Test
    void aRequestForAUserAgentGoesToTheFlowItsRouteTokenNames() throws Exception {
        Flow flow = new Flow(Transport.TCP, "192.0.2.20", 50123);
        handle(PROXY, "MESSAGE", "sip:carol@192.0.2.20:5060",
                "Route: <sip:" + tokens.encode(flow) + "@127.0.0.1:5060;transport=udp;lr>");
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.hop()).isEqualTo(new NextHop("192.0.2.20", 50123, Transport.TCP));
            assertThat(s.request().getHeader("Route")).isNull();
        });
    }

    @Test
    void anInDialogRouteAwayFromOurReplicasIsRelayingDenied() throws Exception {
        handle(UA, "BYE", "sip:bob@198.51.100.7", "To: <sip:bob@siplane.test>;tag=b1", "Route: <sip:198.51.100.7;lr>");
        assertThat(sent).isEmpty();
        assertThat(answers).singleElement().satisfies(r -> {
            assertThat(r.getStatusCode()).isEqualTo(403);
            assertThat(r.getReasonPhrase()).isEqualTo("Relaying Denied");
        });
    }

    @Test
    void anAckIsNeverAnsweredEvenWhenRefused() throws Exception {
        handle(UA, "ACK", "sip:bob@siplane.test", "Max-Forwards: 0");
        handle(UA, "ACK", "sip:bob@siplane.test", "Route: <sip:forged.token@127.0.0.1:5060;lr>");
        assertThat(answers).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void maxForwardsZeroIs483AndOptionsForTheGatewayIs200() throws Exception {
        handle(UA, "MESSAGE", "sip:bob@siplane.test", "Max-Forwards: 0");
        handle(UA, "OPTIONS", "sip:127.0.0.1:5060");
        assertThat(answers).extracting(Response::getStatusCode).containsExactly(483, 200);
        assertThat(sent).isEmpty();
    }

    @Test
    void aFloodingSourceIsDroppedUnansweredWhileAReplicaIsNeverLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            handle(FLOODER, "OPTIONS", "sip:127.0.0.1:5060");
            handle(PROXY, "OPTIONS", "sip:127.0.0.1:5060");
        }
        // burst 1: the flooder's first OPTIONS is answered, its next four dropped; the replica's five all answered
        assertThat(answers).hasSize(6);
    }
}
