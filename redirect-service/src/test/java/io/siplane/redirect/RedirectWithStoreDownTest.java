package io.siplane.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/** With Redis gone and nothing cached, the redirect server answers 503 with Retry-After at once, never hangs. */
@SpringBootTest(classes = RedirectApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sip.bind-address=127.0.0.1", "redirect.domains=redirect.test", "redirect.retry-after=7s"})
class RedirectWithStoreDownTest {

    static final int SIP_PORT = SipPorts.freeUdpAndTcpPort();
    static final RedisFixture.LocalRedis redis = RedisFixture.startDedicated();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", redis::url);
        registry.add("sip.port", () -> SIP_PORT);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aLookupWhileTheStoreIsDownGets503WithRetryAfterAndServiceResumesWhenItReturns() {
        try (TestUserAgent ua = TestUserAgent.udp().sendingTo(SIP_PORT)) {
            redis.stop();
            long t0 = System.nanoTime();
            Response response = ua.request(Request.INVITE, "sip:bob@redirect.test").ownContact("caller", "").send();

            assertThat(response.getStatusCode()).isEqualTo(503);
            assertThat(RedirectServerTest.retryAfter(response).getRetryAfter()).isEqualTo(7);
            // a bound on hanging (retransmission timers would make a hang take 32 s), not a speed assertion
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

            redis.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(ua.request(Request.INVITE, "sip:bob@redirect.test")
                            .ownContact("caller", "").send().getStatusCode()).isEqualTo(404));
        }
    }
}
