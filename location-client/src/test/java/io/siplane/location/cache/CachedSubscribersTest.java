package io.siplane.location.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.location.redis.RedisSchema;
import io.siplane.testsupport.RedisFixture;

/** The HA1 cache the registrar and the proxy share, as a service wires it (a bean, told of {@code loc:events}). */
@SpringBootTest(classes = CachedSubscribersTest.App.class)
class CachedSubscribersTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        CachedSubscribers cachedSubscribers(LocationStore store) {
            return new CachedSubscribers(store, Duration.ofMinutes(5), 1000);
        }

        @Bean
        EventsSeen eventsSeen() {
            return new EventsSeen();
        }
    }

    /** The AORs change events were delivered for (to the same listener list, in the order they were published). */
    static final class EventsSeen implements LocationChangeListener {
        final Set<AddressOfRecord> aors = ConcurrentHashMap.newKeySet();

        @Override
        public void changed(AddressOfRecord aor) {
            aors.add(aor);
        }

        @Override
        public void allChanged() {
        }
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
    }

    @Autowired
    CachedSubscribers subscribers;
    @Autowired
    LocationStore store;
    @Autowired
    RedisConnectionFactory connectionFactory;
    @Autowired
    EventsSeen eventsSeen;

    private Subscriber newSubscriber() {
        Subscriber s = Subscriber.withPassword("ha1-" + UUID.randomUUID().toString().substring(0, 8), "cache.test",
                "pw".toCharArray(), Instant.now());
        store.createSubscriber(s);
        // events arrive in the order they were published: once a marker sent after the creation's event is seen,
        // that event has been delivered and can no longer evict what the test caches next
        AddressOfRecord marker = AddressOfRecord.of("marker-" + UUID.randomUUID().toString().substring(0, 8), "cache.test");
        new StringRedisTemplate(connectionFactory).convertAndSend(RedisSchema.EVENTS_CHANNEL, marker.uri());
        await().atMost(Duration.ofSeconds(5)).until(() -> eventsSeen.aors.contains(marker));
        return s;
    }

    /** Changes the stored HA1 behind the store's back: no event, so only a cache miss would see it. */
    private void overwriteHa1(AddressOfRecord aor, String md5) {
        new StringRedisTemplate(connectionFactory).opsForHash().put(RedisSchema.subscriberKey(aor), "ha1_md5", md5);
    }

    @Test
    void aSubscriberReadOnceIsServedFromMemoryAsynchronouslyAndBlocking() throws Exception {
        Subscriber s = newSubscriber();
        subscribers.prefetch(s.aor());
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers.find(s.username(), s.domain()).isPresent());

        overwriteHa1(s.aor(), "0".repeat(32));

        assertThat(subscribers.findAsync(s.username(), s.domain()).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .map(Subscriber::ha1Md5).contains(s.ha1Md5());
        assertThat(subscribers.find(s.username(), s.domain())).map(Subscriber::ha1Md5).contains(s.ha1Md5());
    }

    @Test
    void aChangeEventForTheAorEvictsItsEntry() {
        Subscriber s = newSubscriber();
        assertThat(subscribers.find(s.username(), s.domain())).isPresent();

        store.deleteSubscriber(s.aor());

        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers.find(s.username(), s.domain()).isEmpty());
    }

    @Test
    void anUnknownUserIsNotCachedSoANewSubscriberIsKnownAtOnce() throws Exception {
        String user = "later-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(subscribers.findAsync(user, "cache.test").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();

        store.createSubscriber(Subscriber.withPassword(user, "cache.test", "pw".toCharArray(), Instant.now()));

        assertThat(subscribers.find(user, "cache.test")).isPresent();
    }

    @Test
    void aUsernameThatIsNotAPlainUserPartMatchesNoOne() {
        assertThat(subscribers.find("a@b", "cache.test")).isEqualTo(Optional.empty());
    }
}
