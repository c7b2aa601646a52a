package io.siplane.location.redis;

import java.time.Instant;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Subscriber;

/** The subscribers, one hash each ({@link RedisSchema#subscriberKey}): who may register and call, with their HA1. */
public final class RedisSubscribers {

    private final StringRedisTemplate redis;
    private final AsyncRedis async;
    private final RedisGuard guard;
    private final BindingIndexes indexes;

    RedisSubscribers(StringRedisTemplate redis, AsyncRedis async, RedisGuard guard, BindingIndexes indexes) {
        this.redis = redis;
        this.async = async;
        this.guard = guard;
        this.indexes = indexes;
    }

    /** Creates a subscriber; false when one with that username and domain exists already. */
    public boolean create(Subscriber s) {
        AddressOfRecord aor = s.aor();
        Long created = guard.call("createSubscriber", () -> redis.execute(LuaScripts.CREATE_SUBSCRIBER,
                List.of(RedisSchema.subscriberKey(aor)), RedisSchema.EVENTS_CHANNEL, aor.uri(),
                "username", s.username(), "domain", s.domain(), "ha1_md5", s.ha1Md5(),
                "ha1_sha256", s.ha1Sha256(), "created_at", Long.toString(s.createdAt().toEpochMilli())));
        return created != null && created == 1;
    }

    public Optional<Subscriber> find(AddressOfRecord aor) {
        Map<Object, Object> h = guard.call("findSubscriber", () -> redis.opsForHash().entries(RedisSchema.subscriberKey(aor)));
        return h == null ? Optional.empty() : subscriber(h);
    }

    /** {@link #find} without blocking (one HGETALL on Lettuce's connection). */
    public CompletionStage<Optional<Subscriber>> findAsync(AddressOfRecord aor) {
        byte[] key = AsyncRedis.bytes(RedisSchema.subscriberKey(aor));
        return guard.<Map<byte[], byte[]>>callAsync("findSubscriber", () -> async.run(c -> c.hgetall(key)))
                .thenApply(h -> {
                    Map<String, String> fields = new HashMap<>();
                    h.forEach((k, v) -> fields.put(AsyncRedis.text(k), AsyncRedis.text(v)));
                    return subscriber(fields);
                });
    }

    /** The subscriber hash's fields (text keys and values) as a {@link Subscriber}; empty for no hash. */
    private static Optional<Subscriber> subscriber(Map<?, ?> h) {
        if (h.isEmpty()) {
            return Optional.empty();
        }
        Object createdAt = h.get("created_at");
        return Optional.of(new Subscriber(String.valueOf(h.get("username")), String.valueOf(h.get("domain")),
                String.valueOf(h.get("ha1_md5")), String.valueOf(h.get("ha1_sha256")),
                Instant.ofEpochMilli(createdAt == null ? 0 : Long.parseLong(String.valueOf(createdAt)))));
    }

    public boolean exists(AddressOfRecord aor) {
        return Boolean.TRUE.equals(guard.call("isSubscriber", () -> redis.hasKey(RedisSchema.subscriberKey(aor))));
    }

    /** Deletes a subscriber and its bindings; true when it existed. */
    public boolean delete(AddressOfRecord aor) {
        Long removed = guard.call("deleteSubscriber", () -> redis.execute(LuaScripts.REMOVE,
                List.of(RedisSchema.contactsKey(aor), RedisSchema.subscriberKey(aor)),
                RedisSchema.EVENTS_CHANNEL, aor.uri(), "", "1"));
        indexes.unlistIfEmpty(aor);
        return removed != null && removed >= 1_000_000;
    }
}
