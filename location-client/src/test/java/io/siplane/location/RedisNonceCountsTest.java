package io.siplane.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.location.redis.RedisSchema;
import io.siplane.testsupport.RedisFixture;

/** The shared nonce-count store as a service gets it (auto-configured), against a real Redis. */
@SpringBootTest(classes = StoreTestApplication.class)
class RedisNonceCountsTest {

    private static final Duration KEEP = Duration.ofMinutes(6);

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
    }

    @Autowired
    NonceCountStore counts;
    @Autowired
    RedisConnectionFactory connectionFactory;

    private static String newNonce() {
        // the shape of an HmacNonces nonce: 32 bytes in base64url, 43 characters
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 43);
    }

    @Test
    void aHigherCountIsAcceptedAndAnEqualOrLowerOneFromAnotherRequestIsAReplay() {
        String nonce = newNonce();

        assertThat(counts.accept(nonce, 1, "call-1 2", KEEP)).isTrue();
        assertThat(counts.accept(nonce, 1, "call-1 3", KEEP)).as("same count, another request").isFalse();
        assertThat(counts.accept(nonce, 3, "call-1 4", KEEP)).isTrue();
        assertThat(counts.accept(nonce, 2, "call-1 5", KEEP)).as("lower count").isFalse();
        assertThat(counts.accept(newNonce(), 1, "call-1 3", KEEP)).as("another nonce").isTrue();
    }

    @Test
    void theAsynchronousCheckKeepsTheSameRulesAndSharesTheCountsOfTheBlockingOne() throws Exception {
        String nonce = newNonce();

        assertThat(counts.acceptAsync(nonce, 1, "call-3 2", KEEP).toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(counts.accept(nonce, 1, "call-3 3", KEEP)).as("same count, another request").isFalse();
        assertThat(counts.acceptAsync(nonce, 1, "call-3 2", KEEP).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .as("retransmission").isTrue();
        assertThat(counts.acceptAsync(nonce, 1, "call-3 4", KEEP).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .as("replay").isFalse();
    }

    @Test
    void theSameCountFromTheSameRequestIsARetransmissionAndIsAcceptedAgain() {
        String nonce = newNonce();

        assertThat(counts.accept(nonce, 7, "call-2 9", KEEP)).isTrue();
        assertThat(counts.accept(nonce, 7, "call-2 9", KEEP)).isTrue();
    }

    @Test
    void anEntryIsSmallAndExpiresAfterTheTimeItIsKeptFor() {
        String nonce = newNonce();
        String longCallId = "x".repeat(500) + "@client.example";

        counts.accept(nonce, 0xffffffffL, longCallId + " 1", KEEP);

        StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
        String key = RedisSchema.nonceCountKey(nonce);
        assertThat(redis.opsForValue().get(key)).hasSizeLessThanOrEqualTo(32);
        assertThat(redis.getExpire(key, TimeUnit.MILLISECONDS)).isPositive().isLessThanOrEqualTo(KEEP.toMillis());
    }

    @Test
    void ofManyRequestsUsingOneCountAtOnceExactlyOneIsAccepted() throws Exception {
        String nonce = newNonce();
        int requests = 16;
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String requestKey = "call-" + i + " 1";
                results.add(pool.submit(() -> {
                    go.await();
                    return counts.accept(nonce, 1, requestKey, KEEP);
                }));
            }
            go.countDown();
            int accepted = 0;
            for (Future<Boolean> r : results) {
                accepted += r.get(20, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
