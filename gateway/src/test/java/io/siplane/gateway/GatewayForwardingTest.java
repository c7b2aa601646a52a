package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sip.address.SipURI;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siplane.gateway.membership.HostResolver;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.gateway.membership.TargetState;
import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * The SIP edge against stand-in replicas that answer statelessly and record what they get: two proxies behind one
 * DNS name ({@code proxies.test} → 127.0.0.2, 127.0.0.3, one port) and a registrar.
 */
class GatewayForwardingTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static StandInReplica proxyA;
    static StandInReplica proxyB;
    static StandInReplica registrar;
    static RunningGateway gateway;
    static final List<TestUserAgent> agents = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        int proxyPort = TestPorts.freeOnAll("127.0.0.2", "127.0.0.3");
        proxyA = new StandInReplica("127.0.0.2", proxyPort);
        proxyB = new StandInReplica("127.0.0.3", proxyPort);
        registrar = new StandInReplica("127.0.0.1", SipPorts.freeUdpAndTcpPort());
        gateway = RunningGateway.start(host -> "proxies.test".equals(host) ? List.of("127.0.0.2", "127.0.0.3") : HostResolver.system().resolve(host),
                "gateway.proxy.targets=proxies.test:" + proxyPort,
                "gateway.registrar.targets=127.0.0.1:" + registrar.port(),
                "gateway.max-message-size=4096",
                "gateway.flood.rate-per-second=20",
                "gateway.flood.burst=40",
                "gateway.flood.allow=127.0.0.1/32",
                "logging.level.io.siplane.gateway.sip=DEBUG");
        await().atMost(WAIT).until(() -> gateway.pool(PoolRole.PROXY).targets().stream().filter(Target::acceptsNew).count() == 2
                && gateway.pool(PoolRole.REGISTRAR).targets().stream().anyMatch(Target::acceptsNew));
    }

    @AfterAll
    static void stop() {
        agents.forEach(TestUserAgent::close);
        if (gateway != null) {
            gateway.close();
        }
        for (StandInReplica r : new StandInReplica[] {proxyA, proxyB, registrar}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @BeforeEach
    void clearRecords() {
        proxyA.clear();
        proxyB.clear();
        registrar.clear();
    }

    static TestUserAgent agent(String transport) {
        TestUserAgent ua = TestUserAgent.start(transport).sendingTo(gateway.sipPort());
        agents.add(ua);
        return ua;
    }

    static TestUserAgent agentOn(String transport, String address) {
        TestUserAgent ua = TestUserAgent.onAddress(transport, address).sendingTo(new SipTarget("127.0.0.1", gateway.sipPort()));
        agents.add(ua);
        return ua;
    }

    @Test
    void inviteCancelAndAckOfOneCallReachTheSameProxyReplica() throws Exception {
        TestUserAgent alice = agent("udp");
        Request invite = alice.request(Request.INVITE, "sip:bob@example.com").from("sip:alice@example.com")
                .ownContact("alice", "").build();
        String callId = SipHeaders.callId(invite);
        CompletableFuture<Response> inviteResult = alice.sendAsync(invite);
        await().atMost(WAIT).until(() -> !proxyA.receivedFor(callId).isEmpty() || !proxyB.receivedFor(callId).isEmpty());
        StandInReplica holder = proxyA.receivedFor(callId).isEmpty() ? proxyB : proxyA;
        StandInReplica other = holder == proxyA ? proxyB : proxyA;

        assertThat(alice.cancel(invite).get(20, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
        assertThat(inviteResult.get(20, TimeUnit.SECONDS).getStatusCode()).isEqualTo(487);
        await().atMost(WAIT).until(() -> holder.receivedFor(callId).stream().anyMatch(r -> r.method().equals(Request.ACK)));

        List<String> methods = holder.receivedFor(callId).stream().map(StandInReplica.Received::method).distinct().toList();
        assertThat(methods).contains(Request.INVITE, Request.CANCEL, Request.ACK);
        assertThat(other.receivedFor(callId)).isEmpty();
        // RFC 3261 §16.11: the CANCEL and the non-2xx ACK carry the INVITE's branch downstream too
        Set<String> branches = new HashSet<>();
        holder.receivedFor(callId).forEach(r -> branches.add(((ViaHeader) r.request().getHeader(ViaHeader.NAME)).getBranch()));
        assertThat(branches).hasSize(1);
    }

    @Test
    void aRetransmissionIsForwardedIdenticallyToTheSameReplica() {
        TestUserAgent alice = agent("udp");
        Request message = alice.request(Request.MESSAGE, "sip:bob@example.com").body("text/plain", "hello").build();
        String callId = SipHeaders.callId(message);
        // each copy is sent again until answered, as a client retransmits: a copy sent the moment the first answer is
        // in may reach the gateway's stack while it still finishes the first, and is then dropped
        alice.sendStatelessUntilAnswered(message, WAIT);
        alice.sendStatelessUntilAnswered(message, WAIT);
        List<StandInReplica.Received> got = proxyA.receivedFor(callId).isEmpty() ? proxyB.receivedFor(callId) : proxyA.receivedFor(callId);
        assertThat(got).hasSizeGreaterThanOrEqualTo(2);
        assertThat(got).extracting(r -> r.request().toString()).containsOnly(got.get(0).request().toString());
        assertThat(proxyA.receivedFor(callId).isEmpty() || proxyB.receivedFor(callId).isEmpty()).as("one replica only").isTrue();
    }

    @Test
    void manyCallIdsSpreadOverBothProxyReplicas() {
        TestUserAgent alice = agent("udp");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Request message = alice.request(Request.MESSAGE, "sip:bob@example.com").body("text/plain", "m" + i).build();
            sent.add(SipHeaders.callId(message));
            assertThat(alice.send(message).getStatusCode()).isEqualTo(200);
        }
        // only this test's Call-IDs: what an earlier test sent (a flood's tail, an ACK) may still be arriving
        Set<String> atA = callIdsAt(proxyA, sent);
        Set<String> atB = callIdsAt(proxyB, sent);
        assertThat(atA).hasSizeGreaterThan(5);
        assertThat(atB).hasSizeGreaterThan(5);
        assertThat(atA).doesNotContainAnyElementsOf(atB);
        assertThat(atA.size() + atB.size()).isEqualTo(40);
        assertThat(gateway.counter("siplane.gateway.forwarded", "pool", "proxy", "target", "127.0.0.2:" + proxyA.port())
                + gateway.counter("siplane.gateway.forwarded", "pool", "proxy", "target", "127.0.0.3:" + proxyB.port()))
                .isGreaterThanOrEqualTo(40);
    }

    @Test
    void registerGoesToTheRegistrarWithAPathCarryingTheClientsFlow() {
        TestUserAgent bob = agent("tcp");
        Response ok = bob.register("bob", "example.com").send();
        assertThat(ok.getStatusCode()).isEqualTo(200);
        String callId = bob.registrationCallId("sip:bob@example.com");
        Request forwarded = registrar.receivedFor(callId).get(0).request();
        List<String> path = SipHeaders.values(forwarded, "Path");
        assertThat(path).hasSize(1);
        assertThat(path.get(0)).contains("@127.0.0.1:" + gateway.sipPort()).contains(";lr");
        assertThat(proxyA.receivedFor(callId)).isEmpty();
        assertThat(proxyB.receivedFor(callId)).isEmpty();
    }

    /** The Call-IDs among {@code sent} that {@code replica} received. */
    static Set<String> callIdsAt(StandInReplica replica, Set<String> sent) {
        Set<String> out = new HashSet<>();
        replica.received().stream().map(StandInReplica.Received::callId).filter(sent::contains).forEach(out::add);
        return out;
    }

    @Test
    void aRequestRoutedToAFlowTokenLeavesOverTheUserAgentsOwnTcpConnection() throws Exception {
        TestUserAgent bob = agent("tcp");
        assertThat(bob.register("bob", "example.com").send().getStatusCode()).isEqualTo(200);
        String path = SipHeaders.values(registrar.receivedFor(bob.registrationCallId("sip:bob@example.com")).get(0).request(),
                "Path").get(0);

        // what a proxy does with the binding's Path (RFC 3327 §5.3): a Route to the gateway, Request-URI the contact
        TestUserAgent proxyLike = agent("udp");
        CompletableFuture<Response> answer = proxyLike.request(Request.MESSAGE, bob.contactUri("bob"))
                .header("Route", path).body("text/plain", "to bob").sendAsync();
        ReceivedRequest atBob = bob.awaitRequest(WAIT);
        assertThat(atBob.method()).isEqualTo(Request.MESSAGE);
        assertThat(atBob.request().getHeader("Route")).isNull();
        atBob.respond(200);
        assertThat(answer.get(20, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
    }

    @Test
    void aDialogCreatingRequestIsRecordRoutedOnBothSidesWithTheCallersFlowToken() throws Exception {
        TestUserAgent alice = agent("tcp");
        Request invite = alice.request(Request.INVITE, "sip:bob@example.com").ownContact("alice", "").build();
        String callId = SipHeaders.callId(invite);
        CompletableFuture<Response> result = alice.sendAsync(invite);
        await().atMost(WAIT).until(() -> !proxyA.receivedFor(callId).isEmpty() || !proxyB.receivedFor(callId).isEmpty());
        Request atProxy = (proxyA.receivedFor(callId).isEmpty() ? proxyB : proxyA).receivedFor(callId).get(0).request();
        List<RecordRouteHeader> rr = SipHeaders.all(atProxy, RecordRouteHeader.NAME, RecordRouteHeader.class);
        assertThat(rr).hasSize(2);
        SipURI towardsProxy = (SipURI) rr.get(0).getAddress().getURI();
        SipURI towardsAlice = (SipURI) rr.get(1).getAddress().getURI();
        assertThat(towardsProxy.getUser()).isNull();
        assertThat(towardsProxy.getTransportParam()).isEqualTo("udp");
        assertThat(towardsAlice.getUser()).isNotBlank();
        assertThat(towardsAlice.getTransportParam()).isEqualTo("tcp");
        alice.cancel(invite).get(20, TimeUnit.SECONDS);
        result.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aForgedFlowTokenIsRefusedWith403() {
        TestUserAgent mallory = agent("udp");
        Response r = mallory.request(Request.MESSAGE, "sip:bob@127.0.0.1:5999")
                .header("Route", "<sip:AAECAwQ.AAAAAAAAAAAAAAAA@127.0.0.1:" + gateway.sipPort() + ";lr>").send();
        assertThat(r.getStatusCode()).isEqualTo(403);
    }

    @Test
    void optionsForTheGatewayItselfIsAnsweredByIt() {
        TestUserAgent ua = agent("udp");
        Request options = ua.request(Request.OPTIONS, "sip:127.0.0.1:" + gateway.sipPort()).build();
        assertThat(ua.send(options).getStatusCode()).isEqualTo(200);
        assertThat(proxyA.receivedFor(SipHeaders.callId(options))).isEmpty();
        assertThat(proxyB.receivedFor(SipHeaders.callId(options))).isEmpty();
    }

    @Test
    void maxForwardsZeroIsAnswered483() {
        TestUserAgent ua = agent("udp");
        assertThat(ua.request(Request.MESSAGE, "sip:bob@example.com").maxForwards(0).send().getStatusCode()).isEqualTo(483);
    }

    @Test
    void anOversizedRequestIsAnswered513() {
        TestUserAgent ua = agent("udp");
        String body = "x".repeat(5000);
        assertThat(ua.request(Request.MESSAGE, "sip:bob@example.com").body("text/plain", body).send().getStatusCode()).isEqualTo(513);
    }

    @Test
    void garbageAndHeaderlessRequestsNeverStopTheGateway() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            socket.setSoTimeout(2000);
            InetAddress gw = InetAddress.getByName("127.0.0.1");
            for (String junk : List.of("\u0000\u0001garbage\r\n\r\n", "INVITE sip:bob@example.com SIP/2.0\r\n\r\n",
                    "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort()
                            + ";branch=z9hG4bKjunk\r\nContent-Length: 0\r\n\r\n")) {
                byte[] bytes = junk.getBytes(StandardCharsets.ISO_8859_1);
                socket.send(new DatagramPacket(bytes, bytes.length, gw, gateway.sipPort()));
            }
        }
        TestUserAgent ua = agent("udp");
        assertThat(ua.request(Request.MESSAGE, "sip:bob@example.com").send().getStatusCode()).isEqualTo(200);
    }

    @Test
    void aFloodingSourceIsLimitedWhileAnotherSourceIsServed() {
        TestUserAgent flooder = agentOn("udp", "127.0.0.5");
        double droppedBefore = gateway.counter("siplane.gateway.flood.dropped");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Request message = flooder.request(Request.MESSAGE, "sip:bob@example.com").body("text/plain", "flood " + i).build();
            sent.add(SipHeaders.callId(message));
            flooder.sendStateless(message);
        }
        await().atMost(WAIT).until(() -> gateway.counter("siplane.gateway.flood.dropped") - droppedBefore >= 200);
        long forwarded = callIdsAt(proxyA, sent).size() + callIdsAt(proxyB, sent).size();
        assertThat(forwarded).isLessThan(100);

        TestUserAgent innocent = agentOn("udp", "127.0.0.6");
        assertThat(innocent.request(Request.MESSAGE, "sip:bob@example.com").send().getStatusCode()).isEqualTo(200);
    }

    @Test
    void everyProxyReplicaIsProbedAndUp() {
        assertThat(gateway.pool(PoolRole.PROXY).targets()).extracting(Target::state).containsOnly(TargetState.UP);
    }
}
