package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.locationservice.LocationServiceApplication;
import io.siplane.proxy.ProxyApplication;
import io.siplane.registrar.RegistrarApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.Dialog;
import io.siplane.testsupport.sip.DigestClient;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * The edge under attack, with the real platform behind it (location-service, a registrar and a Record-Routing proxy,
 * both offering SHA-256 before MD5): no open relay through the gateway, digest with either algorithm through the
 * registrar's 401 and the proxy's 407, no anonymous REST and a per-client REST rate limit.
 */
class EdgeSecurityTest {

    static final String DOMAIN = "edge-security.example";
    static final String SECRET = "edge-security-nonce-secret-0123456789";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    static RunningService registrar;
    static int proxyPort;
    static RunningGateway gateway;
    static TestUserAgent evil;

    @BeforeAll
    static void start() {
        String redis = RedisFixture.url();
        int locationPort = RedisFixture.freePort();
        keep(RunningService.start(LocationServiceApplication.class, Map.of("server.port", String.valueOf(locationPort),
                "spring.data.redis.url", redis, "siplane.api.token", RunningGateway.TOKEN, "sip.enabled", "false")));
        int registrarPort = SipPorts.freeUdpAndTcpPort();
        registrar = keep(RunningService.start(RegistrarApplication.class, Map.of("server.port", "0",
                "sip.port", String.valueOf(registrarPort), "sip.thread-pool-size", "8", "spring.data.redis.url", redis,
                "spring.data.redis.timeout", "2s", "sip.digest.nonce-secret", SECRET, "registrar.domains", DOMAIN,
                "registrar.trusted-edges", "127.0.0.1", "sip.digest.algorithms", "SHA-256,MD5")));
        proxyPort = SipPorts.freeUdpAndTcpPort();
        keep(RunningService.start(ProxyApplication.class, Map.of("server.port", "0", "sip.port", String.valueOf(proxyPort),
                "sip.thread-pool-size", "8", "spring.data.redis.url", redis, "spring.data.redis.timeout", "2s",
                "sip.digest.nonce-secret", SECRET, "proxy.domains", DOMAIN, "proxy.record-route", "true",
                "sip.digest.algorithms", "SHA-256,MD5")));
        gateway = keep(RunningGateway.start(null, "gateway.domains=" + DOMAIN,
                "gateway.proxy.targets=127.0.0.1:" + proxyPort, "gateway.registrar.targets=127.0.0.1:" + registrarPort,
                "gateway.http.location-url=http://127.0.0.1:" + locationPort,
                "gateway.http.rate-limit.requests-per-second=1", "gateway.http.rate-limit.burst=10"));
        evil = keep(TestUserAgent.udp());
        evil.answerRequestsWith(r -> 200);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> gateway.pool(PoolRole.PROXY).targets().stream().anyMatch(Target::acceptsNew)
                && gateway.pool(PoolRole.REGISTRAR).targets().stream().anyMatch(Target::acceptsNew));
    }

    @AfterAll
    static void stop() {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // close the others
            }
        }
    }

    static <T extends AutoCloseable> T keep(T c) {
        closeables.add(c);
        return c;
    }

    static String subscriber(String base) {
        String user = base + "-" + UUID.randomUUID().toString().substring(0, 8);
        registrar.bean(LocationStore.class).createSubscriber(Subscriber.withPassword(user, DOMAIN, ("pw-" + user).toCharArray(), Instant.now()));
        return user;
    }

    static String aor(String user) {
        return "sip:" + user + "@" + DOMAIN;
    }

    static Credentials credentials(String user, String algorithm) {
        return new Credentials(user, "pw-" + user, algorithm);
    }

    /** A new subscriber's agent, registered through the gateway answering the challenge of {@code algorithm}. */
    static TestUserAgent registered(String base, String algorithm) {
        String user = subscriber(base);
        TestUserAgent ua = keep(TestUserAgent.udp().sendingTo(gateway.sipPort()).defaultUser(user));
        Response ok = ua.register(user, DOMAIN).send(credentials(user, algorithm));
        assertThat(ok.getStatusCode()).as("REGISTER of %s with %s", user, algorithm).isEqualTo(200);
        return ua;
    }

    static void assertNothingReachedEvil() {
        // every request counts, those the agent answered by itself too (awaitRequest never sees those)
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> evil.requestsReceived() == 0);
    }

    // --- digest: SHA-256 offered first, SHA-256 and MD5-only clients both get in ---

    @Test
    void withSha256FirstBothASha256AndAnMd5OnlyClientRegisterAndSendThroughTheProxysChallenge() throws Exception {
        String probe = subscriber("probe");
        TestUserAgent ua = keep(TestUserAgent.udp().sendingTo(gateway.sipPort()).defaultUser(probe));
        Response challenge = ua.register(probe, DOMAIN).send();
        assertThat(challenge.getStatusCode()).isEqualTo(401);
        assertThat(DigestClient.challenges(challenge)).extracting(WWWAuthenticateHeader::getAlgorithm).containsExactly("SHA-256", "MD5");

        TestUserAgent bob = registered("bob", "MD5");
        bob.answerRequestsWith(r -> 200);
        for (String algorithm : List.of("SHA-256", "MD5")) {
            TestUserAgent alice = registered("alice", algorithm);
            Request message = alice.request(Request.MESSAGE, aor(bob.defaultUser())).from(aor(alice.defaultUser()))
                    .to(aor(bob.defaultUser())).body("text/plain", "hello with " + algorithm).build();
            Response proxyChallenge = alice.send(message);
            assertThat(proxyChallenge.getStatusCode()).isEqualTo(407);
            assertThat(DigestClient.challenges(proxyChallenge)).extracting(WWWAuthenticateHeader::getAlgorithm)
                    .containsExactly("SHA-256", "MD5");
            Response delivered = alice.send(alice.authorize(message, proxyChallenge, credentials(alice.defaultUser(), algorithm)));
            assertThat(delivered.getStatusCode()).as("MESSAGE authenticated with %s", algorithm).isEqualTo(200);
        }
    }

    // --- no open relay through the gateway ---

    static String evilUri() {
        return "sip:victim@127.0.0.1:" + evil.port();
    }

    static String evilRoute() {
        return "<sip:127.0.0.1:" + evil.port() + ";lr>";
    }

    static Request forgedInDialog(TestUserAgent ua, String target, String... routes) throws Exception {
        var builder = ua.request(Request.MESSAGE, target).from("sip:mallory@attacker.example").to(target).body("text/plain", "relay me");
        for (String route : routes) {
            builder.header(RouteHeader.NAME, route);
        }
        Request r = builder.build();
        ((ToHeader) r.getHeader(ToHeader.NAME)).setTag("forged-" + System.nanoTime());
        return r;
    }

    @Test
    void requestsForAForeignDomainOrHostAreNotRelayed() throws Exception {
        TestUserAgent mallory = keep(TestUserAgent.udp().sendingTo(gateway.sipPort()));
        for (String method : List.of(Request.INVITE, Request.MESSAGE)) {
            Request r = mallory.request(method, "sip:x@evil.example").from("sip:mallory@attacker.example")
                    .to("sip:x@evil.example").ownContact("mallory", "").build();
            Response answer = mallory.send(r);
            assertThat(answer.getStatusCode()).as(method).isEqualTo(403);
            assertThat(answer.getReasonPhrase()).isEqualTo("Relaying Denied");
        }
        assertThat(mallory.send(mallory.request(Request.MESSAGE, evilUri()).from("sip:mallory@attacker.example").to(evilUri())
                .body("text/plain", "relay me").build()).getStatusCode()).isEqualTo(403);
        assertNothingReachedEvil();
    }

    @Test
    void aPreloadedForeignRouteIsDroppedAndOurUserIsReachedInstead() {
        TestUserAgent bob = registered("bob", "MD5");
        TestUserAgent mallory = keep(TestUserAgent.udp().sendingTo(gateway.sipPort()));
        String gatewayRoute = "<sip:127.0.0.1:" + gateway.sipPort() + ";lr>";
        for (List<String> routes : List.of(List.of(evilRoute()), List.of(gatewayRoute, evilRoute()))) {
            var builder = mallory.request(Request.MESSAGE, aor(bob.defaultUser())).from("sip:mallory@attacker.example")
                    .to(aor(bob.defaultUser())).body("text/plain", "hi");
            routes.forEach(r -> builder.header(RouteHeader.NAME, r));
            CompletableFuture<Response> answer = builder.sendAsync();
            ReceivedRequest atBob = bob.awaitRequest(Request.MESSAGE, WAIT);
            assertThat(atBob.request().getHeader(RouteHeader.NAME)).as("Route %s", routes).isNull();
            atBob.respond(200);
            assertThat(answer.join().getStatusCode()).isEqualTo(200);
        }
        assertNothingReachedEvil();
    }

    @Test
    void forgedInDialogRequestsAreRefusedWhereverTheirRouteOrRequestUriPoints() throws Exception {
        TestUserAgent mallory = keep(TestUserAgent.udp().sendingTo(gateway.sipPort()));
        String gatewayRoute = "<sip:127.0.0.1:" + gateway.sipPort() + ";lr>";
        String proxyRoute = "<sip:127.0.0.1:" + proxyPort + ";lr>";
        List<List<String>> routeSets = List.of(List.of(), List.of(evilRoute()), List.of(gatewayRoute, evilRoute()),
                List.of(proxyRoute), List.of(gatewayRoute, proxyRoute, evilRoute()),
                List.of("<sip:127.0.0.1:" + proxyPort + ";lr;rrsig=AAAAAAAAAAAAAAAA>"));
        List<Integer> statuses = new ArrayList<>();
        for (List<String> routes : routeSets) {
            Response answer = mallory.send(forgedInDialog(mallory, evilUri(), routes.toArray(String[]::new)));
            statuses.add(answer.getStatusCode());
        }
        assertThat(statuses).as("answers for route sets %s", routeSets).containsOnly(403);
        assertNothingReachedEvil();
    }

    @Test
    void aRealCallThroughTheGatewayAndTheRecordRoutingProxyIsHungUpFromEitherSide() throws Exception {
        TestUserAgent alice = registered("alice", "SHA-256");
        TestUserAgent bob = registered("bob", "MD5");
        for (boolean calleeHangsUp : new boolean[] {true, false}) {
            Request invite = alice.request(Request.INVITE, aor(bob.defaultUser())).from(aor(alice.defaultUser()))
                    .to(aor(bob.defaultUser())).ownContact(alice.defaultUser(), "").build();
            Response challenge = alice.send(invite);
            assertThat(challenge.getStatusCode()).isEqualTo(407);
            Request authorized = alice.authorize(invite, challenge, credentials(alice.defaultUser(), "SHA-256"));
            CompletableFuture<Response> answer = alice.sendAsync(authorized);
            ReceivedRequest ringing = bob.awaitRequest(Request.INVITE, WAIT);
            Response ok = ringing.response(200);
            ringing.respond(ok);
            Response okAtAlice = answer.get(20, TimeUnit.SECONDS);
            assertThat(okAtAlice.getStatusCode()).isEqualTo(200);
            assertThat(okAtAlice.getHeaders("Record-Route")).toIterable().anyMatch(h -> h.toString().contains("rrsig="));
            alice.ack(authorized, okAtAlice);
            assertThat(bob.awaitRequest(Request.ACK, WAIT).method()).isEqualTo(Request.ACK);

            Dialog from = calleeHangsUp ? Dialog.asCallee(bob, ringing.request(), ok) : Dialog.asCaller(alice, authorized, okAtAlice);
            TestUserAgent other = calleeHangsUp ? alice : bob;
            CompletableFuture<Response> byeAnswer = from.sendAsync(Request.BYE);
            ReceivedRequest bye = other.awaitRequest(Request.BYE, WAIT);
            bye.respond(200);
            assertThat(byeAnswer.get(20, TimeUnit.SECONDS).getStatusCode()).as("BYE from the %s", calleeHangsUp ? "callee" : "caller")
                    .isEqualTo(200);
        }
    }

    // --- REST through the gateway ---

    static final List<String[]> API_CALLS = List.of(
            new String[] {"GET", "/api/v1/bindings/alice@" + DOMAIN}, new String[] {"DELETE", "/api/v1/bindings/alice@" + DOMAIN},
            new String[] {"GET", "/api/v1/bindings?domain=" + DOMAIN}, new String[] {"POST", "/api/v1/subscribers"},
            new String[] {"GET", "/api/v1/subscribers/alice@" + DOMAIN}, new String[] {"DELETE", "/api/v1/subscribers/alice@" + DOMAIN},
            new String[] {"PUT", "/api/v1/subscribers/alice@" + DOMAIN}, new String[] {"PATCH", "/api/v1/bindings/alice@" + DOMAIN},
            new String[] {"GET", "/api/v1/anything"}, new String[] {"OPTIONS", "/api/v1/bindings"});

    @Test
    void everyApiPathAndMethodThroughTheGatewayRefusesAMissingOrWrongToken() throws Exception {
        List<String> authorizations = java.util.Arrays.asList(null, "Bearer wrong-token-0123456789", "Bearer " + RunningGateway.TOKEN + "x",
                "Basic " + RunningGateway.TOKEN, RunningGateway.TOKEN);
        int n = 0;
        for (String[] call : API_CALLS) {
            for (String authorization : authorizations) {
                // each from its own loopback address: the per-client rate limit is tested on its own below
                String from = "127.0.1." + (1 + n++ % 250);
                String response = http(from, call[0], call[1], authorization);
                assertThat(response).as("%s %s with %s", call[0], call[1], authorization).startsWith("HTTP/1.1 401")
                        .containsIgnoringCase("Content-Type: application/problem+json").containsIgnoringCase("WWW-Authenticate: Bearer");
            }
        }
        assertThat(registrar.bean(LocationStore.class).findSubscriber(io.siplane.location.AddressOfRecord.parse("sip:mallory@" + DOMAIN))).isEmpty();
    }

    @Test
    void aRestClientBeyondItsRateGets429WhileAnotherClientIsServed() throws Exception {
        double before = gateway.counter("siplane.gateway.http.rate.limited");
        int served = 0;
        String limited = null;
        for (int i = 0; i < 30 && limited == null; i++) {
            String response = http("127.0.0.9", "GET", "/api/v1/bindings/nobody@" + DOMAIN, "Bearer " + RunningGateway.TOKEN);
            if (response.startsWith("HTTP/1.1 429")) {
                limited = response;
            } else {
                assertThat(response).startsWith("HTTP/1.1 404");
                served++;
            }
        }
        assertThat(served).as("served within the burst of 10").isBetween(10, 12);
        assertThat(limited).containsIgnoringCase("Content-Type: application/problem+json").containsIgnoringCase("Retry-After: 1")
                .contains("\"status\":429");
        assertThat(http("127.0.0.9", "GET", "/api/v1/bindings/nobody@" + DOMAIN, "Bearer wrong")).as("guessing is limited too")
                .startsWith("HTTP/1.1 429");
        assertThat(http("127.0.0.10", "GET", "/api/v1/bindings/nobody@" + DOMAIN, "Bearer " + RunningGateway.TOKEN))
                .as("another client").startsWith("HTTP/1.1 404");
        assertThat(gateway.counter("siplane.gateway.http.rate.limited") - before).isGreaterThanOrEqualTo(2);
    }

    /** One HTTP/1.1 exchange with the gateway from the local address {@code from} (all of 127/8 is loopback on Linux). */
    static String http(String from, String method, String path, String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), gateway.httpPort(), InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(10_000);
            String body = "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method)
                    ? "{\"username\":\"mallory\",\"domain\":\"" + DOMAIN + "\",\"password\":\"mallory-password\"}" : "";
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (!body.isEmpty()) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length()).append("\r\n");
            }
            request.append("\r\n").append(body);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
