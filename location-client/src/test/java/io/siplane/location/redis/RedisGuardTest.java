package io.siplane.location.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisSystemException;

import io.lettuce.core.RedisException;
import io.siplane.location.LocationUnavailableException;

class RedisGuardTest {

    private final RedisGuard guard = RedisGuard.withDefaults("test");

    @Test
    void commandsCutOffWhenRedisGoesAwayAreAnOutageNotABug() {
        // what Lettuce throws for commands in flight when redis-server is killed
        RuntimeException disconnected = new RedisSystemException("Redis exception", new RedisException("Connection disconnected"));

        assertThat(RedisGuard.isOutage(disconnected)).isTrue();
        assertThatThrownBy(() -> guard.call("lookup", () -> {
            throw disconnected;
        })).isInstanceOf(LocationUnavailableException.class);
    }

    @Test
    void otherRedisErrorsAreNotTakenForAnOutage() {
        RuntimeException wrongType = new RedisSystemException("Redis exception",
                new RedisException("WRONGTYPE Operation against a key holding the wrong kind of value"));

        assertThat(RedisGuard.isOutage(wrongType)).isFalse();
        assertThatThrownBy(() -> guard.call("lookup", () -> {
            throw wrongType;
        })).isSameAs(wrongType);
    }
}
