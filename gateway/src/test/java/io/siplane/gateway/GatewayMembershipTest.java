package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.siplane.gateway.membership.HostResolver;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.gateway.membership.TargetAddress;
import io.siplane.gateway.membership.TargetState;
import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * Membership changes without restarting the gateway: replicas behind the DNS name {@code proxies.test} die, join and
 * drain, and new calls follow within the probe interval (500 ms here, timeout 300 ms, down after 1 miss). Passive
 * health: a replica that answers relayed requests stays in whatever its probes say; when every probe fails, the pool
 * keeps its replicas in service for {@code keep-last-for} (5 s here).
 */
class GatewayMembershipTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    final List<String> dns = new CopyOnWriteArrayList<>(List.of("127.0.0.2", "127.0.0.3"));
    final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    int proxyPort;
    StandInReplica proxyA;
    StandInReplica proxyB;
    RunningGateway gateway;
    TestUserAgent alice;

    @BeforeEach
    void start() {
        proxyPort = TestPorts.freeOnAll("127.0.0.2", "127.0.0.3", "127.0.0.4");
        proxyA = keep(new StandInReplica("127.0.0.2", proxyPort));
        proxyB = keep(new StandInReplica("127.0.0.3", proxyPort));
        StandInReplica registrar = keep(new StandInReplica("127.0.0.1", SipPorts.freeUdpAndTcpPort()));
        HostResolver resolver = host -> "proxies.test".equals(host) ? List.copyOf(dns) : HostResolver.system().resolve(host);
        gateway = RunningGateway.start(resolver, "gateway.proxy.targets=proxies.test:" + proxyPort,
                "gateway.registrar.targets=127.0.0.1:" + registrar.port(), "gateway.flood.allow=127.0.0.1/32",
                "gateway.probe.keep-last-for=5s");
        await().atMost(WAIT).until(() -> inRotation() == 2);
        alice = keep(TestUserAgent.udp().sendingTo(gateway.sipPort()));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        gateway.close();
    }

    <T extends AutoCloseable> T keep(T c) {
        closeables.add(c);
        return c;
    }

    long inRotation() {
        return gateway.pool(PoolRole.PROXY).targets().stream().filter(Target::acceptsNew).count();
    }

    TargetState stateOf(StandInReplica r) {
        return gateway.pool(PoolRole.PROXY).target(new TargetAddress(r.address(), r.port())).map(Target::state).orElseThrow();
    }

    int sendMessages(int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (alice.request(Request.MESSAGE, "sip:bob@example.com").body("text/plain", "m" + i).send().getStatusCode() == 200) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void aDeadReplicaLeavesRotationWithinTheProbeIntervalAndNewCallsGoToTheOther() {
        long closing = System.nanoTime();
        proxyB.close(); // the RI takes about 2 s to stop; its sockets close somewhere in there
        long closed = System.nanoTime();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> stateOf(proxyB) == TargetState.DOWN);
        Duration afterClosed = Duration.ofNanos(System.nanoTime() - closed);
        Duration afterClosing = Duration.ofNanos(System.nanoTime() - closing);
        // a probe every 500 ms, unanswered after 300 ms, one miss is enough: out within interval + timeout
        assertThat(afterClosed).isLessThan(Duration.ofMillis(500 + 300 + 700));

        proxyA.clear();
        assertThat(sendMessages(20)).isEqualTo(20);
        assertThat(proxyA.received()).hasSize(20);
        System.out.println("MEASURED dead replica out of rotation " + afterClosed.toMillis() + " ms after its stack stopped ("
                + afterClosing.toMillis() + " ms after stopping began)");
    }

    @Test
    void aReplicaAddedToTheDnsNameJoinsRotationWithoutRestart() {
        StandInReplica proxyC = keep(new StandInReplica("127.0.0.4", proxyPort));
        dns.add("127.0.0.4");
        await().atMost(WAIT).until(() -> inRotation() == 3);
        assertThat(sendMessages(60)).isEqualTo(60);
        assertThat(proxyC.received()).hasSizeGreaterThan(5);
        assertThat(proxyA.received()).hasSizeGreaterThan(5);
        assertThat(proxyB.received()).hasSizeGreaterThan(5);

        dns.remove("127.0.0.4");
        await().atMost(WAIT).until(() -> gateway.pool(PoolRole.PROXY).targets().size() == 2);
        proxyC.clear();
        assertThat(sendMessages(20)).isEqualTo(20);
        assertThat(proxyC.received()).isEmpty();
    }

    @Test
    void aDrainingReplicaTakesNoNewCallsButFinishesTheOnesItHas() throws Exception {
        // an INVITE that lands on A, left ringing
        Request invite = null;
        CompletableFuture<Response> result = null;
        for (int i = 0; i < 40 && result == null; i++) {
            Request candidate = alice.request(Request.INVITE, "sip:bob@example.com").ownContact("alice", "").build();
            String callId = SipHeaders.callId(candidate);
            CompletableFuture<Response> f = alice.sendAsync(candidate);
            await().atMost(WAIT).until(() -> !proxyA.receivedFor(callId).isEmpty() || !proxyB.receivedFor(callId).isEmpty());
            if (!proxyA.receivedFor(callId).isEmpty()) {
                invite = candidate;
                result = f;
            } else {
                alice.cancel(candidate).get(20, TimeUnit.SECONDS);
            }
        }
        assertThat(invite).isNotNull();
        String callId = SipHeaders.callId(invite);

        proxyA.draining(true);
        await().atMost(WAIT).until(() -> stateOf(proxyA) == TargetState.DRAINING);
        proxyA.clear();
        proxyB.clear();
        assertThat(sendMessages(20)).isEqualTo(20);
        assertThat(proxyA.received()).isEmpty();

        // the call in flight still ends where it lives: CANCEL and the ACK of the 487 go to A
        assertThat(alice.cancel(invite).get(20, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
        assertThat(result.get(20, TimeUnit.SECONDS).getStatusCode()).isEqualTo(487);
        await().atMost(WAIT).until(() -> proxyA.receivedFor(callId).stream().anyMatch(r -> r.method().equals(Request.ACK)));
        assertThat(proxyB.receivedFor(callId)).isEmpty();

        proxyA.draining(false);
        await().atMost(WAIT).until(() -> stateOf(proxyA) == TargetState.UP);
    }

    @Test
    void aReplicaWhoseProbesAnswerLateStaysInRotationWhileItAnswersRelayedRequests() {
        // A answers traffic before its probes turn late: the gateway has seen it alive
        int sent = 0;
        while (proxyA.received().size() < 3 && sent < 200) {
            assertThat(alice.request(Request.MESSAGE, "sip:bob@example.com").body("text/plain", "m" + sent).send()
                    .getStatusCode()).isEqualTo(200);
            sent++;
        }
        proxyA.probeDelay(Duration.ofMillis(450)); // beyond the 300 ms timeout: every probe of A fails
        int late = proxyA.lateProbes();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (proxyA.lateProbes() < late + 6 && System.nanoTime() < deadline) {
            assertThat(alice.request(Request.MESSAGE, "sip:bob@example.com").body("text/plain", "m" + sent).send()
                    .getStatusCode()).isEqualTo(200);
            sent++;
            assertThat(stateOf(proxyA)).as("A after %d late probes", proxyA.lateProbes() - late).isEqualTo(TargetState.UP);
        }
        assertThat(proxyA.lateProbes()).isGreaterThanOrEqualTo(late + 6);
        assertThat(proxyA.received()).isNotEmpty();

        // without traffic the late probes count again: A leaves rotation, B keeps it
        long idle = System.nanoTime();
        await().atMost(WAIT).until(() -> stateOf(proxyA) == TargetState.DOWN);
        assertThat(stateOf(proxyB)).isEqualTo(TargetState.UP);
        System.out.println("MEASURED passive health: A stayed UP through " + (proxyA.lateProbes() - late) + " late probes while "
                + sent + " MESSAGEs were relayed (" + proxyA.received().size() + " by A); DOWN "
                + Duration.ofNanos(System.nanoTime() - idle).toMillis() + " ms after the traffic stopped");
    }

    @Test
    void whenEveryProbeOfThePoolFailsItsReplicasStayInService() {
        proxyA.probeDelay(Duration.ofMillis(450));
        proxyB.probeDelay(Duration.ofMillis(450));
        await().atMost(WAIT).until(() -> stateOf(proxyA) == TargetState.DOWN && stateOf(proxyB) == TargetState.DOWN);
        proxyA.clear();
        proxyB.clear();
        assertThat(sendMessages(20)).isEqualTo(20);
        assertThat(proxyA.received().size() + proxyB.received().size()).isEqualTo(20);
        assertThat(gateway.pool(PoolRole.PROXY).serving()).isTrue();
        System.out.println("MEASURED every probe failing: 20 of 20 MESSAGEs relayed (A " + proxyA.received().size() + ", B "
                + proxyB.received().size() + ") with both replicas DOWN by their probes");
    }

    @Test
    void withNoReplicaAliveWithinKeepLastForNewCallsGet503WithRetryAfter() {
        proxyA.close();
        proxyB.close();
        await().atMost(WAIT).until(() -> inRotation() == 0);
        long none = System.nanoTime();
        await().atMost(WAIT).until(() -> !gateway.pool(PoolRole.PROXY).serving());
        System.out.println("MEASURED dead pool given up " + Duration.ofNanos(System.nanoTime() - none).toMillis()
                + " ms after its last replica left rotation (keep-last-for 5 s)");
        Response r = alice.request(Request.MESSAGE, "sip:bob@example.com").send();
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeader("Retry-After")).isNotNull();
    }
}
