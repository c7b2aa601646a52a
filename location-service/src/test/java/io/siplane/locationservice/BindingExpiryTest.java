package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import io.siplane.location.redis.RedisSchema;

/**
 * The sweeper deletes expired contacts from Redis on its own. The checks read Redis directly, never
 * through the store or the API, so no lookup can be what removes them.
 */
class BindingExpiryTest extends ApiTestSupport {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void contactRegisteredForTwoSecondsIsGoneFromRedisAndRestWithinThreeSecondsWithoutBeingRead() {
        AddressOfRecord aor = uniqueAor("expiry.test");
        long start = System.nanoTime();
        bind(aor, ContactUpdate.of("sip:short-lived@192.0.2.1", 2));
        assertThat(redis.hasKey(RedisSchema.contactsKey(aor))).isTrue();
        assertThat(redis.opsForZSet().score(RedisSchema.EXPIRY_INDEX, aor.uri())).isNotNull();
        assertThat(redis.opsForZSet().score(RedisSchema.AOR_INDEX, RedisSchema.indexMember(aor))).isNotNull();

        await().atMost(Duration.ofSeconds(3).minusNanos(System.nanoTime() - start))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(redis.hasKey(RedisSchema.contactsKey(aor))).isFalse();
                    assertThat(redis.opsForZSet().score(RedisSchema.EXPIRY_INDEX, aor.uri())).isNull();
                    assertThat(redis.opsForZSet().score(RedisSchema.AOR_INDEX, RedisSchema.indexMember(aor))).isNull();
                });

        assertProblem(get("/api/v1/bindings/" + aor.user() + "@expiry.test"), 404);
        assertThat(json(get("/api/v1/bindings?domain=expiry.test&limit=1000")).get("items").values())
                .extracting(item -> item.get("aor").asString()).doesNotContain(aor.uri());
    }

    @Test
    void sweeperRemovesTheExpiredContactAndKeepsTheLiveOneOfTheSameAor() {
        AddressOfRecord aor = uniqueAor("expiry.test");
        long start = System.nanoTime();
        bind(aor, ContactUpdate.of("sip:short-lived@192.0.2.1", 2), ContactUpdate.of("sip:long-lived@192.0.2.2", 3600));
        assertThat(redis.opsForHash().size(RedisSchema.contactsKey(aor))).isEqualTo(2);

        await().atMost(Duration.ofSeconds(3).minusNanos(System.nanoTime() - start))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(redis.opsForHash().size(RedisSchema.contactsKey(aor))).isEqualTo(1));

        Double nextExpiry = redis.opsForZSet().score(RedisSchema.EXPIRY_INDEX, aor.uri());
        assertThat(nextExpiry).isGreaterThan(System.currentTimeMillis() + 3_000_000.0);
        var contacts = json(get("/api/v1/bindings/" + aor.user() + "@expiry.test")).get("contacts");
        assertThat(contacts.values()).extracting(c -> c.get("uri").asString()).containsExactly("sip:long-lived@192.0.2.2");
    }
}
