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

/** A service whose Redis is not up yet still starts, and subscribes to change events once Redis is there. */
@SpringBootTest(classes = StoreTestApplication.class, properties = {
        "siplane.location.cache.fresh-for=60s", "siplane.location.cache.stale-if-error=60s"})
class StartWithoutRedisTest {

    static final RedisFixture.LocalRedis redis = RedisFixture.startDedicated();

    static {
        redis.stop();
    }

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
    void theClientStartsWithRedisDownAndRecoversIncludingChangeEvents() {
        AddressOfRecord aor = AddressOfRecord.of("late", "start.test");
        assertThatThrownBy(() -> store.lookup(aor)).isInstanceOf(LocationUnavailableException.class);

        redis.start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() ->
                assertThat(store.register(RegisterUpdate.of(aor, "c", 1, List.of(ContactUpdate.of("sip:a@192.0.2.1", 600)))))
                        .isInstanceOf(RegisterResult.Applied.class));
        assertThat(lookup.lookup(aor)).hasSize(1);

        store.register(RegisterUpdate.of(aor, "c", 2, List.of(ContactUpdate.of("sip:b@192.0.2.1", 600))));

        // fresh-for is 60 s: only the subscription (the event, or the cache reset when it is established) can
        // make the second contact visible this soon
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lookup.lookup(aor)).hasSize(2));
    }
}
