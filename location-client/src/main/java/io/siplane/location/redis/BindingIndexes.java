package io.siplane.location.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import io.siplane.location.AddressOfRecord;

/**
 * The two indexes beside the contacts hashes ({@link RedisSchema#EXPIRY_INDEX} for the sweep,
 * {@link RedisSchema#AOR_INDEX} for listing), kept up to date after a binding changed.
 */
final class BindingIndexes {

    private static final Logger log = LoggerFactory.getLogger(BindingIndexes.class);
    private static final byte[][] INDEX_KEYS = AsyncRedis.bytes(RedisSchema.EXPIRY_INDEX, RedisSchema.AOR_INDEX);
    private static final byte[] AOR_INDEX = AsyncRedis.bytes(RedisSchema.AOR_INDEX);

    private final StringRedisTemplate redis;
    private final AsyncRedis async;
    private final RedisGuard guard;

    BindingIndexes(StringRedisTemplate redis, AsyncRedis async, RedisGuard guard) {
        this.redis = redis;
        this.async = async;
        this.guard = guard;
    }

    /** Puts {@code aor} in both indexes with {@code earliestExpiry} as its sweep time (or keeps an earlier one). */
    void index(AddressOfRecord aor, long earliestExpiry) {
        redis.execute(LuaScripts.INDEX, List.of(RedisSchema.EXPIRY_INDEX, RedisSchema.AOR_INDEX),
                Long.toString(earliestExpiry), aor.uri(), RedisSchema.indexMember(aor));
    }

    /**
     * The index update follows a REGISTER that is already stored: it must not turn a stored binding into
     * an error. If it fails, the key's own TTL still removes the bindings, and the AOR is indexed again by its
     * next REGISTER that brings an earlier expiry or its first binding.
     */
    void indexQuietly(AddressOfRecord aor, long earliestExpiry) {
        try {
            guard.call("index", () -> {
                index(aor, earliestExpiry);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("Could not index {} after storing its bindings: {}", aor, e.toString());
        }
    }

    /** {@link #indexQuietly} without blocking: the stage always completes normally. */
    CompletionStage<Void> indexQuietlyAsync(AddressOfRecord aor, long earliestExpiry) {
        byte[][] args = AsyncRedis.bytes(Long.toString(earliestExpiry), aor.uri(), RedisSchema.indexMember(aor));
        return guard.<Long>callAsync("index", () -> async.script(LuaScripts.INDEX, ScriptOutputType.INTEGER, INDEX_KEYS, args))
                .handle((done, failure) -> {
                    if (failure != null) {
                        log.warn("Could not index {} after storing its bindings: {}", aor, failure.toString());
                    }
                    return null;
                });
    }

    /**
     * Removes an AOR from the listing index once it has no bindings. Removing first and re-checking after
     * keeps a concurrent REGISTER (whose index update runs after its write) from being lost.
     */
    void unlistIfEmpty(AddressOfRecord aor) {
        String member = RedisSchema.indexMember(aor);
        guard.call("unindex", () -> {
            redis.opsForZSet().remove(RedisSchema.AOR_INDEX, member);
            if (Boolean.TRUE.equals(redis.hasKey(RedisSchema.contactsKey(aor)))) {
                redis.opsForZSet().addIfAbsent(RedisSchema.AOR_INDEX, member, 0);
            }
            return null;
        });
    }

    /** {@link #unlistIfEmpty} without blocking. */
    CompletionStage<Void> unlistIfEmptyAsync(AddressOfRecord aor) {
        byte[] member = AsyncRedis.bytes(RedisSchema.indexMember(aor));
        byte[] contacts = AsyncRedis.bytes(RedisSchema.contactsKey(aor));
        return guard.callAsync("unindex", () -> async.run(c -> c.zrem(AOR_INDEX, member)
                .thenCompose(removed -> c.exists(contacts))
                .thenCompose(exists -> exists != null && exists > 0
                        ? c.zadd(AOR_INDEX, ZAddArgs.Builder.nx(), 0.0, member).thenApply(added -> (Void) null)
                        : CompletableFuture.<Void>completedFuture(null))));
    }
}
