package io.siplane.bench;

import java.net.URI;
import java.time.Clock;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.siplane.location.ContactLimitPolicy;
import io.siplane.location.redis.RedisGuard;
import io.siplane.location.redis.RedisLocationStore;
import io.siplane.testsupport.RedisFixture;

/**
 * The location store as the services build it (Lettuce, one shared connection, Resilience4j guard), on a real Redis:
 * {@code REDIS_URL}, else a {@code redis-server} from PATH started on a free loopback port for the trial.
 */
public final class BenchRedis implements AutoCloseable {

    private final RedisFixture.LocalRedis local;
    private final LettuceConnectionFactory factory;
    private final StringRedisTemplate redis;
    private final RedisLocationStore store;

    public BenchRedis() {
        String configured = System.getenv("REDIS_URL");
        local = configured == null || configured.isBlank() ? RedisFixture.LocalRedis.start(RedisFixture.freePort(), false) : null;
        URI uri = URI.create(local != null ? local.url() : configured);
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
        factory.afterPropertiesSet();
        factory.start();
        redis = new StringRedisTemplate(factory);
        store = new RedisLocationStore(redis, RedisGuard.withDefaults("bench"), Clock.systemUTC(), 10,
                ContactLimitPolicy.DROP_OLDEST);
    }

    public RedisLocationStore store() {
        return store;
    }

    public StringRedisTemplate template() {
        return redis;
    }

    @Override
    public void close() {
        factory.destroy();
        if (local != null) {
            local.stop();
        }
    }
}
