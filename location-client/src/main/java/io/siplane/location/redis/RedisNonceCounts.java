package io.siplane.location.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.lettuce.core.ScriptOutputType;
import io.siplane.location.NonceCountStore;

/**
 * {@link NonceCountStore} in Redis: one short-lived key per nonce in use ({@link RedisSchema#nonceCountKey}), checked
 * and raised by one script so that two replicas cannot both accept the same count. The request is stored as a
 * 12-byte fingerprint of its Call-ID and CSeq, which keeps an entry small whatever the Call-ID's length.
 */
public final class RedisNonceCounts implements NonceCountStore {

    private static final int FINGERPRINT_BYTES = 12;

    private final StringRedisTemplate redis;
    private final AsyncRedis async;
    private final RedisGuard guard;

    public RedisNonceCounts(StringRedisTemplate redis, RedisGuard guard) {
        this.redis = redis;
        this.async = new AsyncRedis(redis.getRequiredConnectionFactory());
        this.guard = guard;
    }

    @Override
    public boolean accept(String nonce, long nc, String requestKey, Duration keepFor) {
        Long accepted = guard.call("acceptNonceCount", () -> redis.execute(LuaScripts.NONCE_COUNT,
                List.of(RedisSchema.nonceCountKey(nonce)),
                Long.toString(nc), fingerprint(requestKey), Long.toString(keepFor.toMillis())));
        return accepted != null && accepted == 1;
    }

    /** {@link #accept} as one EVALSHA on Lettuce's connection, without blocking. */
    @Override
    public CompletionStage<Boolean> acceptAsync(String nonce, long nc, String requestKey, Duration keepFor) {
        byte[][] keys = { AsyncRedis.bytes(RedisSchema.nonceCountKey(nonce)) };
        byte[][] args = AsyncRedis.bytes(Long.toString(nc), fingerprint(requestKey), Long.toString(keepFor.toMillis()));
        return guard.<Long>callAsync("acceptNonceCount",
                () -> async.script(LuaScripts.NONCE_COUNT, ScriptOutputType.INTEGER, keys, args))
                .thenApply(accepted -> accepted != null && accepted == 1);
    }

    private static String fingerprint(String requestKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestKey.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, FINGERPRINT_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
