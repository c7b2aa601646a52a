package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.siplane.location.AddressOfRecord;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.TestUserAgent;

/** A registrar on a private Redis that the test kills and restarts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {

    private static final String DOMAIN = RunningRegistrar.DOMAIN;
    private RedisFixture.LocalRedis redis;
    private RunningRegistrar registrar;
    private TestUserAgent ua;

    @BeforeAll
    void start() {
        // append-only with fsync always: the subscriber survives the kill, as with a persistent Redis
        redis = RedisFixture.LocalRedis.start(RedisFixture.freePort(), true);
        registrar = RunningRegistrar.startWithRedis(redis.url());
        ua = TestUserAgent.udp().sendingTo(registrar.sipPort());
    }

    @AfterAll
    void stop() {
        ua.close();
        registrar.close();
        redis.close();
    }

    @Test
    void withRedisStoppedRegisterIsAnswered500WithRetryAfterAndTheRegistrarRecoversWhenRedisReturns() {
        registrar.subscriber("olivia", "pw");
        Credentials creds = Credentials.md5("olivia", "pw");
        assertThat(ua.register("olivia", DOMAIN).send(creds).getStatusCode()).isEqualTo(200);

        redis.stop();
        Request during = ua.register("olivia", DOMAIN).expires(1800).build();
        Response challenge = ua.send(during);
        long start = System.nanoTime();
        Response refused = ua.send(ua.authorize(during, challenge, creds));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(challenge.getStatusCode()).as("challenges need no store").isEqualTo(401);
        assertThat(refused.getStatusCode()).isEqualTo(500);
        assertThat(((RetryAfterHeader) refused.getHeader(RetryAfterHeader.NAME)).getRetryAfter()).isEqualTo(5);
        assertThat(took).as("answered fast, before the client retransmits much").isLessThan(Duration.ofSeconds(3));

        redis.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(ua.register("olivia", DOMAIN).expires(1200).send(creds).getStatusCode()).isEqualTo(200));
        assertThat(registrar.store().lookup(AddressOfRecord.of("olivia", DOMAIN)))
                .singleElement().satisfies(b -> assertThat(b.expiresIn(java.time.Instant.now())).isBetween(1190L, 1200L));
    }
}
