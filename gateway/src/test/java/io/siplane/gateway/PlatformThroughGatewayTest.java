package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.siplane.gateway.membership.HostResolver;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.RendezvousHash;
import io.siplane.gateway.membership.Target;
import io.siplane.gateway.membership.TargetAddress;
import io.siplane.gateway.membership.TargetState;
import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.locationservice.LocationServiceApplication;
import io.siplane.proxy.ProxyApplication;
import io.siplane.registrar.RegistrarApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * The platform behind the gateway, all real and in-process against a real Redis: location-service, a registrar and
 * two proxy replicas behind the DNS name {@code proxies.test} (127.0.0.2 and 127.0.0.3, one port). The tests that
 * change membership add a replica of their own (127.0.0.4, 127.0.0.6) and take it out again, so every test starts
 * from the same two replicas and passes alone and in any order. User agents know only the gateway.
 */
class PlatformThroughGatewayTest {

    static final String DOMAIN = "gw-test.example";
    static final String SECRET = "gateway-platform-nonce-secret-0123456789";
    static final Duration WAIT = Duration.ofSeconds(30);

    static final List<String> BASE_REPLICAS = List.of("127.0.0.2", "127.0.0.3");
    static final List<String> dns = new CopyOnWriteArrayList<>(BASE_REPLICAS);
    static final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    static int proxyPort;
    static RunningService location;
    static RunningService registrar;
    static RunningService proxyA;
    static RunningService proxyB;
    static RunningGateway gateway;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        String redis = RedisFixture.url();
        int locationPort = RedisFixture.freePort();
        location = keep(service(LocationServiceApplication.class, Map.of("server.port", String.valueOf(locationPort),
                "spring.data.redis.url", redis, "siplane.api.token", RunningGateway.TOKEN, "sip.enabled", "false")));
        int registrarPort = SipPorts.freeUdpAndTcpPort();
        registrar = keep(service(RegistrarApplication.class, Map.of("server.port", "0",
                "sip.port", String.valueOf(registrarPort), "sip.thread-pool-size", "8", "spring.data.redis.url", redis,
                "spring.data.redis.timeout", "2s", "sip.digest.nonce-secret", SECRET, "registrar.domains", DOMAIN,
                "registrar.trusted-edges", "127.0.0.1")));
        proxyPort = TestPorts.freeOnAll("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.6");
        proxyA = keep(proxy("127.0.0.2", redis));
        proxyB = keep(proxy("127.0.0.3", redis));
        HostResolver resolver = host -> "proxies.test".equals(host) ? List.copyOf(dns) : HostResolver.system().resolve(host);
        gateway = RunningGateway.start(resolver, "gateway.domains=" + DOMAIN,
                "gateway.proxy.targets=proxies.test:" + proxyPort,
                "gateway.registrar.targets=127.0.0.1:" + registrarPort,
                "gateway.http.location-url=http://127.0.0.1:" + locationPort);
        closeables.add(gateway);
        await().atMost(WAIT).until(() -> inRotation() == 2
                && gateway.pool(PoolRole.REGISTRAR).targets().stream().anyMatch(Target::acceptsNew));
    }

    /** Every test starts with the two base replicas in rotation and no other proxy target. */
    @BeforeEach
    void twoBaseReplicasInRotation() {
        await().atMost(WAIT).until(() -> rotation().equals(java.util.Set.of(
                new TargetAddress("127.0.0.2", proxyPort), new TargetAddress("127.0.0.3", proxyPort)))
                && gateway.pool(PoolRole.PROXY).targets().size() == 2);
    }

    /** Starts another service's application (with its own application.yml: see {@link RunningService}). */
    static RunningService service(Class<?> application, Map<String, String> properties) {
        return RunningService.start(application, properties);
    }

    static RunningService proxy(String address, String redis) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", "0");
        props.put("sip.bind-address", address);
        props.put("sip.advertised-address", address);
        props.put("sip.port", String.valueOf(proxyPort));
        props.put("sip.thread-pool-size", "8");
        props.put("spring.data.redis.url", redis);
        props.put("spring.data.redis.timeout", "2s");
        props.put("sip.digest.nonce-secret", SECRET);
        props.put("proxy.domains", DOMAIN);
        return service(ProxyApplication.class, props);
    }

    @AfterAll
    static void stop() {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    static <T extends AutoCloseable> T keep(T c) {
        closeables.add(c);
        return c;
    }

    static long inRotation() {
        return gateway.pool(PoolRole.PROXY).targets().stream().filter(Target::acceptsNew).count();
    }

    static java.util.Set<TargetAddress> rotation() {
        return gateway.pool(PoolRole.PROXY).targets().stream().filter(Target::acceptsNew).map(Target::address)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** A proxy replica of a test's own on {@code address}, added to the DNS name and in rotation. */
    static RunningService addedReplica(String address) {
        RunningService replica = keep(proxy(address, RedisFixture.url()));
        dns.add(address);
        await().atMost(WAIT).until(() -> rotation().contains(new TargetAddress(address, proxyPort)));
        return replica;
    }

    /** Takes a test's own replica out of the DNS name and stops it; the gateway forgets it at its next resolution. */
    static void removeReplica(String address, RunningService replica) {
        dns.remove(address);
        replica.close();
        TargetAddress gone = new TargetAddress(address, proxyPort);
        await().atMost(WAIT).until(() -> gateway.pool(PoolRole.PROXY).target(gone).isEmpty());
    }

    /** Requests the gateway forwarded to each proxy replica so far. */
    static double forwardedTo(String address) {
        return gateway.counter("siplane.gateway.forwarded", "pool", PoolRole.PROXY.tag(), "target",
                new TargetAddress(address, proxyPort).toString());
    }

    static String subscriber(String base) {
        String user = base + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        registrar.bean(LocationStore.class).createSubscriber(Subscriber.withPassword(user, DOMAIN, ("pw-" + user).toCharArray(), Instant.now()));
        return user;
    }

    static Credentials credentials(String user) {
        return Credentials.md5(user, "pw-" + user);
    }

    /** A user agent of a new subscriber, registered through the gateway. */
    static TestUserAgent registered(String base, String transport) {
        String user = subscriber(base);
        TestUserAgent ua = keep(TestUserAgent.start(transport).sendingTo(gateway.sipPort()).defaultUser(user));
        Response r = ua.register(user, DOMAIN).send(credentials(user));
        assertThat(r.getStatusCode()).as("REGISTER of " + user).isEqualTo(200);
        return ua;
    }

    static String aor(TestUserAgent ua) {
        return "sip:" + ua.defaultUser() + "@" + DOMAIN;
    }

    /** Requests of this replica by method (OPTIONS probes left out). */
    static double proxyRequests(RunningService proxy) {
        return Search.in(proxy.bean(MeterRegistry.class)).name("siplane.proxy.requests").counters().stream()
                .filter(c -> !"OPTIONS".equals(c.getId().getTag("method"))).mapToDouble(c -> c.count()).sum();
    }

    static double proxyRequests(RunningService proxy, String method) {
        return Search.in(proxy.bean(MeterRegistry.class)).name("siplane.proxy.requests").tag("method", method).counters()
                .stream().mapToDouble(c -> c.count()).sum();
    }

    /** A request inside the dialog of {@code invite}/{@code ok}, from the caller (RFC 3261 §12.2.1.1). */
    static Request fromCaller(TestUserAgent caller, Request invite, Response ok, String method, long cseq) throws Exception {
        List<RecordRouteHeader> rr = SipHeaders.recordRoutes(ok);
        Collections.reverse(rr);
        return inDialog(caller, ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI().toString(),
                (FromHeader) invite.getHeader(FromHeader.NAME), (ToHeader) ok.getHeader(ToHeader.NAME), invite, rr, method, cseq);
    }

    /** The same from the callee: its route set is the Record-Route in order, the remote target the caller's Contact. */
    static Request fromCallee(TestUserAgent callee, Request invite, Response ok, String method, long cseq) throws Exception {
        var f = callee.factories();
        ToHeader okTo = (ToHeader) ok.getHeader(ToHeader.NAME);
        FromHeader inviteFrom = (FromHeader) invite.getHeader(FromHeader.NAME);
        FromHeader from = f.headers().createFromHeader(okTo.getAddress(), okTo.getTag());
        ToHeader to = f.headers().createToHeader(inviteFrom.getAddress(), inviteFrom.getTag());
        return inDialogRaw(callee, ((ContactHeader) invite.getHeader(ContactHeader.NAME)).getAddress().getURI().toString(), from, to,
                invite, SipHeaders.recordRoutes(invite), method, cseq);
    }

    static Request inDialog(TestUserAgent ua, String target, FromHeader from, ToHeader to, Request invite, List<RecordRouteHeader> routes,
            String method, long cseq) throws Exception {
        return inDialogRaw(ua, target, from, to, invite, routes, method, cseq);
    }

    static Request inDialogRaw(TestUserAgent ua, String target, FromHeader from, ToHeader to, Request invite,
            List<RecordRouteHeader> routes, String method, long cseq) throws ParseException, javax.sip.InvalidArgumentException {
        var f = ua.factories();
        ViaHeader via = f.headers().createViaHeader(ua.host(), ua.port(), ua.transport(), "z9hG4bK" + java.util.UUID.randomUUID());
        via.setRPort();
        Request r = f.messages().createRequest(f.addresses().createURI(target), method,
                (CallIdHeader) invite.getHeader(CallIdHeader.NAME), f.headers().createCSeqHeader(cseq, method),
                (FromHeader) from.clone(), (ToHeader) to.clone(), List.of(via), f.headers().createMaxForwardsHeader(70));
        for (RecordRouteHeader h : routes) {
            r.addHeader(f.headers().createRouteHeader(h.getAddress()));
        }
        return r;
    }

    /** Header helpers local to this test. */
    static final class SipHeaders {
        static List<RecordRouteHeader> recordRoutes(javax.sip.message.Message m) {
            List<RecordRouteHeader> out = new ArrayList<>();
            m.getHeaders(RecordRouteHeader.NAME).forEachRemaining(h -> out.add((RecordRouteHeader) h));
            return out;
        }
    }

    /** alice calls bob through the gateway; bob answers; ACK; BYE from {@code byeFromCallee ? bob : alice}. */
    static void call(TestUserAgent alice, TestUserAgent bob, boolean byeFromCallee) throws Exception {
        call(alice, bob, byeFromCallee, java.util.UUID.randomUUID() + "@gw-test");
    }

    /** The same with the Call-ID that picks the proxy replica. */
    static void call(TestUserAgent alice, TestUserAgent bob, boolean byeFromCallee, String callId) throws Exception {
        Request invite = alice.request(Request.INVITE, aor(bob)).from(aor(alice)).to(aor(bob)).callId(callId)
                .ownContact(alice.defaultUser(), "").build();
        CompletableFuture<Response> answer = alice.sendAuthenticatedAsync(invite, credentials(alice.defaultUser()));
        ReceivedRequest ringing = bob.awaitRequest(WAIT);
        assertThat(ringing.method()).isEqualTo(Request.INVITE);
        ViaHeader top = (ViaHeader) ringing.request().getHeader(ViaHeader.NAME);
        assertThat(top.getPort()).as("the INVITE reaches bob from the gateway").isEqualTo(gateway.sipPort());
        Response ok = ringing.response(200);
        ringing.respond(ok);
        Response atAlice = answer.get(30, TimeUnit.SECONDS);
        assertThat(atAlice.getStatusCode()).isEqualTo(200);
        alice.ack(invite, atAlice);
        assertThat(bob.awaitRequest(Request.ACK, WAIT).method()).isEqualTo(Request.ACK);

        if (byeFromCallee) {
            Request bye = fromCallee(bob, ringing.request(), ok, Request.BYE, 1);
            CompletableFuture<Response> byeAnswer = bob.sendAsync(bye);
            ReceivedRequest atCaller = alice.awaitRequest(Request.BYE, WAIT);
            atCaller.respond(200);
            assertThat(byeAnswer.get(30, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
        } else {
            long cseq = ((CSeqHeader) atAlice.getHeader(CSeqHeader.NAME)).getSeqNumber() + 1;
            Request bye = fromCaller(alice, invite, atAlice, Request.BYE, cseq);
            CompletableFuture<Response> byeAnswer = alice.sendAsync(bye);
            ReceivedRequest atCallee = bob.awaitRequest(Request.BYE, WAIT);
            atCallee.respond(200);
            assertThat(byeAnswer.get(30, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void registerThroughTheGatewayStoresABindingWithTheGatewaysPath() {
        TestUserAgent bob = registered("bob", "tcp");
        List<Binding> bindings = registrar.bean(LocationStore.class).lookup(AddressOfRecord.parse(aor(bob)));
        assertThat(bindings).hasSize(1);
        assertThat(bindings.get(0).contactUri()).isEqualTo(bob.contactUri(bob.defaultUser()));
        assertThat(bindings.get(0).path()).hasSize(1);
        assertThat(bindings.get(0).path().get(0)).contains("@127.0.0.1:" + gateway.sipPort()).contains(";lr");
    }

    @Test
    void aCallBetweenTwoUdpAgentsSucceedsThroughTheGateway() throws Exception {
        call(registered("alice", "udp"), registered("bob", "udp"), false);
    }

    @Test
    void aCalleeRegisteredOverTcpIsReachedOverItsOwnConnectionAndCanHangUp() throws Exception {
        call(registered("alice", "udp"), registered("bob", "tcp"), true);
    }

    @Test
    void aCallBetweenTwoTcpAgentsSucceeds() throws Exception {
        call(registered("alice", "tcp"), registered("bob", "tcp"), false);
    }

    @Test
    void everyRequestOfOneCallReachesTheSameProxyReplica() throws Exception {
        TestUserAgent alice = registered("alice", "udp");
        TestUserAgent bob = registered("bob", "udp");
        double aBefore = proxyRequests(proxyA);
        double bBefore = proxyRequests(proxyB);
        double forwardedBefore = forwardedTo("127.0.0.2") + forwardedTo("127.0.0.3");

        // INVITE → 407 → ACK, INVITE with credentials → ringing → CANCEL → 487 → ACK: one Call-ID throughout
        Request invite = alice.request(Request.INVITE, aor(bob)).from(aor(alice)).to(aor(bob)).ownContact(alice.defaultUser(), "").build();
        Response challenge = alice.send(invite);
        assertThat(challenge.getStatusCode()).isEqualTo(407);
        Request authorized = alice.authorize(invite, challenge, credentials(alice.defaultUser()));
        CompletableFuture<Response> answer = alice.sendAsync(authorized);
        assertThat(bob.awaitRequest(WAIT).method()).isEqualTo(Request.INVITE);
        assertThat(alice.cancel(authorized).get(30, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
        assertThat(answer.get(30, TimeUnit.SECONDS).getStatusCode()).isEqualTo(487);
        // the gateway has passed on all five (INVITE, its ACK, INVITE, CANCEL, ACK of the 487) to one replica or both
        await().atMost(WAIT).until(() -> forwardedTo("127.0.0.2") + forwardedTo("127.0.0.3") - forwardedBefore >= 5);
        await().atMost(WAIT).until(() -> proxyRequests(proxyA) - aBefore + proxyRequests(proxyB) - bBefore >= 3);

        double aDelta = proxyRequests(proxyA) - aBefore;
        double bDelta = proxyRequests(proxyB) - bBefore;
        assertThat(Math.min(aDelta, bDelta)).as("requests at the other replica (A %s, B %s)", aDelta, bDelta).isZero();
        assertThat(Math.max(aDelta, bDelta)).as("INVITE, INVITE, CANCEL at one replica").isGreaterThanOrEqualTo(3);
    }

    @Test
    void callsWithManyCallIdsSpreadOverBothReplicas() {
        TestUserAgent alice = registered("alice", "udp");
        TestUserAgent bob = registered("bob", "udp");
        bob.answerRequestsWith(r -> 200);
        double aBefore = proxyRequests(proxyA, "MESSAGE");
        double bBefore = proxyRequests(proxyB, "MESSAGE");
        for (int i = 0; i < 30; i++) {
            Response r = alice.request(Request.MESSAGE, aor(bob)).from(aor(alice)).to(aor(bob)).body("text/plain", "hi " + i)
                    .send(credentials(alice.defaultUser()));
            assertThat(r.getStatusCode()).isEqualTo(200);
        }
        assertThat(proxyRequests(proxyA, "MESSAGE") - aBefore).isGreaterThan(3);
        assertThat(proxyRequests(proxyB, "MESSAGE") - bBefore).isGreaterThan(3);
    }

    @Test
    void aFloodingSourceIsLimitedWhileAnotherSourcesCallsSucceed() throws Exception {
        TestUserAgent flooder = keep(TestUserAgent.onAddress("udp", "127.0.0.5").sendingTo(
                new io.siplane.testsupport.sip.SipTarget("127.0.0.1", gateway.sipPort())));
        double dropped = gateway.counter("siplane.gateway.flood.dropped");
        for (int i = 0; i < 400; i++) {
            flooder.sendStateless(flooder.request(Request.OPTIONS, "sip:nobody@" + DOMAIN).build());
        }
        await().atMost(WAIT).until(() -> gateway.counter("siplane.gateway.flood.dropped") - dropped >= 200);
        call(registered("alice", "udp"), registered("bob", "udp"), false);
    }

    @Test
    void theRestApiIsReachableThroughTheGatewayWithTheTokenOnly() throws Exception {
        TestUserAgent bob = registered("bob", "udp");
        String path = "/api/v1/bindings/" + URLEncoder.encode(aor(bob), StandardCharsets.UTF_8);
        HttpResponse<String> ok = get(path, RunningGateway.TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains(aor(bob)).contains(bob.defaultUser());

        HttpResponse<String> none = get(path, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm="));
        assertThat(get(path, "wrong-token").statusCode()).isEqualTo(401);
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);

        // the API's documentation is location-service's, at the same path through the gateway. location-service builds
        // it on the first request (8 s once on a loaded machine, beyond the gateway's short read timeout): ask it first
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + location.property("server.port") + "/v3/api-docs")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).as("location-service's own /v3/api-docs").isEqualTo(200);
        HttpResponse<String> docs = get("/v3/api-docs", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/v1/bindings/{aor}").contains("/api/v1/subscribers");
    }

    @Test
    void whenTheLocationServiceIsDownTheApiAnswers503ProblemWithoutWaitingForTheReadTimeout() throws Exception {
        // a refused connection is answered at once: with a 120 s read timeout, waiting for it would outlast the
        // client's 30 s request timeout below (a bound far from any scheduling delay, not a speed measurement)
        try (RunningGateway lonely = RunningGateway.start(null, "gateway.registrar.targets=127.0.0.1:9",
                "gateway.proxy.targets=127.0.0.1:9", "gateway.http.read-timeout=120s",
                "gateway.http.location-url=http://127.0.0.1:" + RedisFixture.freePort())) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lonely.httpPort()
                    + "/api/v1/bindings/alice@" + DOMAIN)).header("Authorization", "Bearer " + RunningGateway.TOKEN)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(r.body()).contains("\"status\":503");
        }
    }

    @Test
    void aReplicaAddedAtRuntimeComesIntoRotation() {
        RunningService proxyC = addedReplica("127.0.0.4");
        try {
            assertThat(inRotation()).isEqualTo(3);
            TestUserAgent alice = registered("alice", "udp");
            TestUserAgent bob = registered("bob", "udp");
            bob.answerRequestsWith(r -> 200);
            double cBefore = proxyRequests(proxyC, "MESSAGE");
            // a third of the Call-IDs go to the new replica: send until it has taken more than three (a fixed 30
            // left it three or fewer about once in 300 runs)
            int sent = 0;
            while (proxyRequests(proxyC, "MESSAGE") - cBefore <= 3 && sent < 200) {
                assertThat(alice.request(Request.MESSAGE, aor(bob)).from(aor(alice)).to(aor(bob)).body("text/plain", "m" + sent)
                        .send(credentials(alice.defaultUser())).getStatusCode()).isEqualTo(200);
                sent++;
            }
            assertThat(proxyRequests(proxyC, "MESSAGE") - cBefore).as("MESSAGEs at the new replica of %s", sent).isGreaterThan(3);
        } finally {
            removeReplica("127.0.0.4", proxyC);
        }
    }

    @Test
    void killingAReplicaSendsNewCallsToTheOthersWithinTheProbeIntervalWithoutRestart() throws Exception {
        String address = "127.0.0.6";
        RunningService proxyD = addedReplica(address);
        try {
            TargetAddress d = new TargetAddress(address, proxyPort);
            // Call-IDs that the replica about to die wins while it is up: each call would go there but for its death
            List<String> callIds = callIdsPicking(d, 5);
            proxyD.close();
            await().atMost(WAIT).until(() -> gateway.pool(PoolRole.PROXY).target(d).map(Target::state).orElseThrow() == TargetState.DOWN);
            TestUserAgent alice = registered("alice", "udp");
            TestUserAgent bob = registered("bob", "udp");
            for (int i = 0; i < callIds.size(); i++) {
                call(alice, bob, i % 2 == 0, callIds.get(i));
            }
        } finally {
            removeReplica(address, proxyD);
        }
    }

    /** {@code n} Call-IDs for which the gateway's rendezvous hash picks {@code target} among all proxy targets. */
    static List<String> callIdsPicking(TargetAddress target, int n) {
        List<Target> all = List.copyOf(gateway.pool(PoolRole.PROXY).targets());
        List<String> out = new ArrayList<>();
        for (int attempt = 0; attempt < 10_000 && out.size() < n; attempt++) {
            String callId = java.util.UUID.randomUUID() + "@gw-test";
            if (RendezvousHash.pick(callId, all, t -> true).map(Target::address).filter(target::equals).isPresent()) {
                out.add(callId);
            }
        }
        assertThat(out).as("Call-IDs that pick %s", target).hasSize(n);
        return out;
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
