package io.siplane.location.redis;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.siplane.location.AddressOfRecord;

/**
 * Deletes expired bindings whose time has come, from {@link RedisSchema#EXPIRY_INDEX} (location-service runs it
 * on a schedule; a contacts hash's own TTL is the backstop).
 */
public final class ExpirySweep {

    private final StringRedisTemplate redis;
    private final RedisGuard guard;
    private final BindingIndexes indexes;
    private final Clock clock;

    ExpirySweep(StringRedisTemplate redis, RedisGuard guard, BindingIndexes indexes, Clock clock) {
        this.redis = redis;
        this.guard = guard;
        this.indexes = indexes;
        this.clock = clock;
    }

    /**
     * Visits AORs whose earliest expiry is due. Each is taken out of the expiry index first, purged, and
     * put back with its new earliest expiry: a REGISTER racing with the sweep re-indexes itself after its
     * write, so no binding is left without an index entry.
     *
     * @return how many AORs were examined
     */
    public int sweepExpired(int batchSize) {
        long now = clock.millis();
        Set<String> due = guard.call("sweep", () -> redis.opsForZSet().rangeByScore(RedisSchema.EXPIRY_INDEX,
                Double.NEGATIVE_INFINITY, now, 0, batchSize));
        if (due == null) {
            return 0;
        }
        for (String uri : due) {
            AddressOfRecord aor;
            try {
                aor = AddressOfRecord.parse(uri);
            } catch (IllegalArgumentException e) {
                redis.opsForZSet().remove(RedisSchema.EXPIRY_INDEX, uri);
                continue;
            }
            boolean empty = guard.call("sweep", () -> {
                redis.opsForZSet().remove(RedisSchema.EXPIRY_INDEX, uri);
                Long earliest = redis.execute(LuaScripts.PURGE, List.of(RedisSchema.contactsKey(aor)), Long.toString(now),
                        RedisSchema.EVENTS_CHANNEL, uri);
                if (earliest != null && earliest > 0) {
                    indexes.index(aor, earliest);
                    return false;
                }
                return true;
            });
            if (empty) {
                indexes.unlistIfEmpty(aor);
            }
        }
        return due.size();
    }
}
