package io.siplane.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.location.redis.RedisSchema;
import io.siplane.testsupport.RedisClusterFixture;

/**
 * The same contract against a 3-master Redis Cluster of {@code redis-server} processes on loopback: every key of
 * an AOR shares its hash tag, so each script runs on one node.
 */
class RedisClusterLocationStoreTest extends RedisLocationStoreTest {

    static final RedisClusterFixture cluster = RedisClusterFixture.start(3);

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> "");
        registry.add("spring.data.redis.cluster.nodes", cluster::nodes);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void theKeysOfOneAorShareASlotWhileDifferentAorsSpreadOverTheMasters() {
        AddressOfRecord a = AddressOfRecord.of("alice", "cluster.test");
        assertThat(RedisClusterFixture.slot(RedisSchema.contactsKey(a))).isEqualTo(RedisClusterFixture.slot(RedisSchema.subscriberKey(a)));
        assertThat(RedisClusterFixture.slot(RedisSchema.EXPIRY_INDEX)).isEqualTo(RedisClusterFixture.slot(RedisSchema.AOR_INDEX));
        long distinct = java.util.stream.IntStream.range(0, 100)
                .map(i -> RedisClusterFixture.slot(RedisSchema.contactsKey(AddressOfRecord.of("u" + i, "cluster.test"))) * 3 / 16384)
                .distinct().count();
        assertThat(distinct).isEqualTo(3);
        assertThat(((org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory) connectionFactory).isClusterAware())
                .isTrue();
        store.register(RegisterUpdate.of(a, "c", 1, List.of(ContactUpdate.of("sip:alice@192.0.2.1", 600))));
        assertThat(store.lookup(a)).hasSize(1);
    }
}
