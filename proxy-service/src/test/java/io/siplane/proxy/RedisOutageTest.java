package io.siplane.proxy;

import static io.siplane.proxy.Agents.next;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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

/** The proxy with its own Redis, which the test kills: answers stay fast and honest (503 + Retry-After), never a hang. */
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

    private Request inviteFromOutside(TestUserAgent caller, String to) {
        return caller.request(Request.INVITE, ProxyPlatform.aor(to)).from("sip:carol@elsewhere.example")
                .to(ProxyPlatform.aor(to)).ownContact("carol", "").build();
    }

    @Test
    void whileRedisIsDownACachedCalleeIsStillReachedAndAnUncachedOneGets503WithRetryAfter() throws Exception {
        redis.start();
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
}
