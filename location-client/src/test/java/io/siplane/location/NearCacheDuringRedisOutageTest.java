package io.siplane.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.testsupport.RedisFixture;

/** Readers ride out a Redis outage on the near-cache for stale-if-error, then fail fast; they recover alone. */
@SpringBootTest(classes = StoreTestApplication.class, properties = {
        "siplane.location.cache.fresh-for=100ms",
        "siplane.location.cache.stale-if-error=6s"})
class NearCacheDuringRedisOutageTest {

    static final RedisFixture.LocalRedis redis = RedisFixture.startDedicated();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", redis::url);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Autowired
    LocationStore store;
    @Autowired
    BindingLookup lookup;

    @Test
    void cachedLookupsAreServedWhileRedisIsDownThenFailFastThenRecover() throws Exception {
        AddressOfRecord cached = AddressOfRecord.of("cached", "outage.test");
        AddressOfRecord neverRead = AddressOfRecord.of("cold", "outage.test");
        store.register(RegisterUpdate.of(cached, "c", 1, List.of(ContactUpdate.of("sip:cached@192.0.2.1", 600))));
        store.register(RegisterUpdate.of(neverRead, "c", 1, List.of(ContactUpdate.of("sip:cold@192.0.2.1", 600))));
        long beforeCaching = System.nanoTime();
        assertThat(lookup.lookup(cached)).hasSize(1);
        assertThat(lookup.isSubscriber(cached)).isFalse();
        long cachedBy = System.nanoTime();

        redis.stop();

        // past fresh-for (100 ms), the cached answer is still served: stale-if-error (6 s) leaves room for a slow stop
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() - cachedBy > Duration.ofMillis(150).toNanos());
        assertThat(lookup.lookup(cached)).extracting(Binding::contactUri).containsExactly("sip:cached@192.0.2.1");
        assertThat(lookup.isSubscriber(cached)).isFalse();

        // nothing cached: an error, quickly — never a hang
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> lookup.lookup(neverRead)).isInstanceOf(LocationUnavailableException.class);
        assertThatThrownBy(() -> store.register(RegisterUpdate.of(neverRead, "c", 2, List.of())))
                .isInstanceOf(LocationUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));

        // once stale-if-error has passed, the cached answer is no longer served either
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThatThrownBy(() -> lookup.lookup(cached)).isInstanceOf(LocationUnavailableException.class));
        // not before stale-if-error counted from the moment the answer was cached (however long Redis took to stop)
        assertThat(Duration.ofNanos(System.nanoTime() - beforeCaching)).isGreaterThanOrEqualTo(Duration.ofSeconds(6));

        // Redis returns (empty: no persistence in this test): the client recovers by itself
        redis.start();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            RegisterResult r = store.register(RegisterUpdate.of(cached, "c", 2,
                    List.of(ContactUpdate.of("sip:back@192.0.2.1", 600))));
            assertThat(r).isInstanceOf(RegisterResult.Applied.class);
        });
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
                assertThat(lookup.lookup(cached)).extracting(Binding::contactUri).containsExactly("sip:back@192.0.2.1"));
    }
}
