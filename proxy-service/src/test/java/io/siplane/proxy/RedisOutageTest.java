package io.siplane.proxy;

import static io.siplane.proxy.Agents.next;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.registrar.RegistrarApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * The proxy with its own Redis, which the tests kill: answers stay fast and honest (503 + Retry-After), never a hang;
 * a local caller whose HA1 the proxy has cached still gets through, and a change of that subscriber evicts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {

    private RedisFixture.LocalRedis redis;
    private RunningService registrar;
    private int registrarPort;
    private RunningProxy proxy;

    @BeforeAll
    void start() {
        redis = RedisFixture.startDedicated();
        registrarPort = SipPorts.freeUdpAndTcpPort();
        registrar = RunningService.start(RegistrarApplication.class, Map.of("server.port", "0",
                "sip.port", String.valueOf(registrarPort), "spring.data.redis.url", redis.url(),
                "spring.data.redis.timeout", "2s", "spring.data.redis.connect-timeout", "2s",
                "sip.digest.nonce-secret", ProxyPlatform.SECRET, "registrar.domains", ProxyPlatform.DOMAIN));
        // answers older than 200 ms are asked again, so the outage is felt at once; stale ones may serve 60 s
        proxy = RunningProxy.start(redis.url(), "siplane.location.cache.fresh-for=200ms");
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (registrar != null) {
            registrar.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private String subscriber(String user) {
        registrar.bean(LocationStore.class).createSubscriber(
                Subscriber.withPassword(user, ProxyPlatform.DOMAIN, ProxyPlatform.password(user).toCharArray(), Instant.now()));
        return user;
    }

    private void register(TestUserAgent ua, String user) {
        SipTarget target = SipTarget.loopback(registrarPort);
        Request register = ua.register(user, ProxyPlatform.DOMAIN).withoutContacts().ownContact(user, "").build();
        Response challenge = ua.sendAsync(register, target).join();
        Response ok = ua.sendAsync(ua.authorize(register, challenge, Credentials.md5(user, ProxyPlatform.password(user))), target).join();
        assertThat(ok.getStatusCode()).isEqualTo(200);
    }

    /** Starts Redis if a test stopped it, and waits until the registrar's and the proxy's stores answer again. */
    private void awaitRedisServing() {
        redis.start();
        AddressOfRecord probe = AddressOfRecord.parse(ProxyPlatform.aor("probe"));
        // a few answers in a row: a circuit breaker that opened during the outage closes only after its probe calls
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    for (int i = 0; i < 3; i++) {
                        registrar.bean(LocationStore.class).findSubscriber(probe);
                        proxy.bean(LocationStore.class).findSubscriber(probe);
                    }
                    return true;
                });
    }

    /** A MESSAGE from local user {@code from} to {@code to} through the proxy, answering its 407 with {@code credentials}. */
    private Response message(TestUserAgent caller, String from, String to, Credentials credentials) {
        Request message = caller.request(Request.MESSAGE, ProxyPlatform.aor(to)).from(ProxyPlatform.aor(from))
                .to(ProxyPlatform.aor(to)).body("text/plain", "hello").build();
        Response challenge = caller.sendAsync(message, proxy.target()).join();
        assertThat(challenge.getStatusCode()).as("the proxy challenges a local caller").isEqualTo(407);
        return caller.sendAsync(caller.authorize(message, challenge, credentials), proxy.target()).join();
    }

    private static Credentials credentials(String user) {
        return Credentials.md5(user, ProxyPlatform.password(user));
    }

    private Request inviteFromOutside(TestUserAgent caller, String to) {
        return caller.request(Request.INVITE, ProxyPlatform.aor(to)).from("sip:carol@elsewhere.example")
                .to(ProxyPlatform.aor(to)).ownContact("carol", "").build();
    }

    @Test
    void whileRedisIsDownACachedCalleeIsStillReachedAndAnUncachedOneGets503WithRetryAfter() throws Exception {
        awaitRedisServing();
        String bob = subscriber("bob-" + System.nanoTime());
        String dave = subscriber("dave-" + System.nanoTime());
        String alice = subscriber("alice-" + System.nanoTime());
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);
            var warmUp = caller.sendAsync(inviteFromOutside(caller, bob), proxy.target());
            next(callee, Request.INVITE).respond(486);
            assertThat(warmUp.join().getStatusCode()).isEqualTo(486);

            redis.stop();
            var cached = caller.sendAsync(inviteFromOutside(caller, bob), proxy.target());
            ReceivedRequest stillRouted = next(callee, Request.INVITE);
            stillRouted.respond(486);
            long started = System.nanoTime();
            Response uncached = caller.sendAsync(inviteFromOutside(caller, dave), proxy.target()).join();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            Request fromLocalUser = caller.request(Request.INVITE, ProxyPlatform.aor(bob)).from(ProxyPlatform.aor(alice))
                    .to(ProxyPlatform.aor(bob)).ownContact(alice, "").build();
            Response challenge = caller.sendAsync(fromLocalUser, proxy.target()).join();
            Response credentialsUncheckable = caller.sendAsync(caller.authorize(fromLocalUser, challenge,
                    Credentials.md5(alice, ProxyPlatform.password(alice))), proxy.target()).join();

            assertThat(cached.join().getStatusCode()).isEqualTo(486);
            assertThat(uncached.getStatusCode()).isEqualTo(503);
            assertThat(((RetryAfterHeader) uncached.getHeader(RetryAfterHeader.NAME)).getRetryAfter()).isEqualTo(5);
            assertThat(tookMillis).as("fails fast, never hangs").isLessThan(10_000);
            assertThat(challenge.getStatusCode()).as("a challenge needs no store").isEqualTo(407);
            assertThat(credentialsUncheckable.getStatusCode()).isEqualTo(503);
            assertThat(credentialsUncheckable.getHeader(RetryAfterHeader.NAME)).isNotNull();
        } finally {
            redis.start();
        }
    }

    @Test
    void whileRedisIsDownALocalCallerWhoseHa1IsCachedIsStillAuthenticatedAndReachesACachedCallee() {
        awaitRedisServing();
        String bob = subscriber("bob-" + System.nanoTime());
        String alice = subscriber("alice-" + System.nanoTime());
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            callee.answerRequestsWith(r -> 200);
            register(callee, bob);
            assertThat(message(caller, alice, bob, credentials(alice)).getStatusCode()).isEqualTo(200);

            redis.stop();
            Response duringOutage = message(caller, alice, bob, credentials(alice));

            assertThat(duringOutage.getStatusCode()).as("alice's HA1 and bob's binding are cached").isEqualTo(200);
        } finally {
            redis.start();
        }
    }

    @Test
    void aSubscriberDeletedAndCreatedWithANewPasswordNoLongerGetsInWithTheCachedOldOne() {
        awaitRedisServing();
        String bob = subscriber("bob-" + System.nanoTime());
        String carol = subscriber("carol-" + System.nanoTime());
        LocationStore store = registrar.bean(LocationStore.class);
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            callee.answerRequestsWith(r -> 200);
            register(callee, bob);
            assertThat(message(caller, carol, bob, credentials(carol)).getStatusCode()).isEqualTo(200);

            // what location-service does for DELETE and POST /api/v1/subscribers: each publishes a change event
            AddressOfRecord aor = AddressOfRecord.parse(ProxyPlatform.aor(carol));
            assertThat(store.deleteSubscriber(aor)).isTrue();
            store.createSubscriber(Subscriber.withPassword(carol, ProxyPlatform.DOMAIN, "new-password".toCharArray(), Instant.now()));

            // the cache lives 60 s; the event evicts it within moments (a refused attempt ends the wait at once)
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> message(caller, carol, bob, credentials(carol)).getStatusCode() == 407);
            assertThat(message(caller, carol, bob, Credentials.md5(carol, "new-password")).getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void aCallerUnknownAMomentAgoGetsInAsSoonAsTheSubscriberIsCreated() {
        awaitRedisServing();
        String bob = subscriber("bob-" + System.nanoTime());
        String dora = "dora-" + System.nanoTime();
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            callee.answerRequestsWith(r -> 200);
            register(callee, bob);
            assertThat(message(caller, dora, bob, credentials(dora)).getStatusCode()).as("not a subscriber yet").isEqualTo(407);

            subscriber(dora);

            assertThat(message(caller, dora, bob, credentials(dora)).getStatusCode()).isEqualTo(200);
        }
    }
}
