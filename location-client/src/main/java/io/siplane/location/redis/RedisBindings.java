package io.siplane.location.redis;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.lettuce.core.ScriptOutputType;
import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.ContactLimitPolicy;
import io.siplane.location.ContactUpdate;
import io.siplane.location.RegisterResult;
import io.siplane.location.RegisterUpdate;

/**
 * The bindings of each AOR (one contacts hash per AOR, {@link RedisSchema#contactsKey}). Each REGISTER is one Lua
 * script on that hash (atomic, the Call-ID/CSeq rule inside), followed by one script on the two indexes when they
 * need it (not for a refresh). The registrar's path ({@link #registerAsync}) talks Lettuce directly and never
 * blocks; the synchronous methods serve REST and tests.
 */
public final class RedisBindings {

    private final StringRedisTemplate redis;
    private final AsyncRedis async;
    private final RedisGuard guard;
    private final BindingIndexes indexes;
    private final Clock clock;
    private final int maxContactsPerAor;
    private final ContactLimitPolicy contactLimitPolicy;
    private final BindingCodec codec = new BindingCodec();

    RedisBindings(StringRedisTemplate redis, AsyncRedis async, RedisGuard guard, BindingIndexes indexes, Clock clock,
            int maxContactsPerAor, ContactLimitPolicy contactLimitPolicy) {
        this.redis = redis;
        this.async = async;
        this.guard = guard;
        this.indexes = indexes;
        this.clock = clock;
        this.maxContactsPerAor = maxContactsPerAor;
        this.contactLimitPolicy = contactLimitPolicy;
    }

    /** The register script's arguments for one update, and the earliest expiry it sets. */
    private record ScriptCall(long now, List<String> args, long earliest) {
    }

    private ScriptCall scriptCall(RegisterUpdate update) {
        long now = clock.millis();
        List<String> args = new ArrayList<>(8 + 2 * update.contacts().size());
        args.add(Long.toString(now));
        args.add(update.callId());
        args.add(Long.toString(update.cseq()));
        args.add(update.removeAll() ? "1" : "0");
        args.add(Integer.toString(maxContactsPerAor));
        args.add(contactLimitPolicy.name());
        args.add(RedisSchema.EVENTS_CHANNEL);
        args.add(update.aor().uri());
        long earliest = Long.MAX_VALUE;
        for (ContactUpdate c : update.contacts()) {
            args.add(c.key());
            if (c.expiresSeconds() == 0) {
                args.add("");
            } else {
                long expiresAt = now + c.expiresSeconds() * 1000L;
                earliest = Math.min(earliest, expiresAt);
                args.add(codec.encode(c, expiresAt, now, update.callId(), update.cseq()));
            }
        }
        return new ScriptCall(now, args, earliest);
    }

    /** What the script answered, and which index work follows. */
    private record ScriptReply(RegisterResult result, boolean index, boolean unlist) {
    }

    private ScriptReply reply(ScriptCall call, List<?> reply) {
        String status = AsyncRedis.text(reply.get(0));
        long earliestBefore = Long.parseLong(AsyncRedis.text(reply.get(1)));
        List<Binding> bindings = codec.decodeLive(reply.subList(2, reply.size()), Instant.ofEpochMilli(call.now()));
        switch (status) {
            case "STALE":
                return new ScriptReply(new RegisterResult.StaleCSeq(bindings), false, false);
            case "TOO_MANY":
                return new ScriptReply(new RegisterResult.TooManyContacts(maxContactsPerAor, bindings), false, false);
            default:
                break;
        }
        // An AOR that already had bindings is in both indexes, with an expiry score at or below their earliest
        // expiry: a refresh that expires no sooner would change neither (a round trip saved per re-REGISTER).
        boolean index = call.earliest() != Long.MAX_VALUE && !bindings.isEmpty()
                && (earliestBefore == 0 || call.earliest() < earliestBefore);
        return new ScriptReply(new RegisterResult.Applied(bindings), index, !index && bindings.isEmpty());
    }

    public RegisterResult register(RegisterUpdate update) {
        AddressOfRecord aor = update.aor();
        if (update.isQuery()) {
            return new RegisterResult.Applied(lookup(aor));
        }
        ScriptCall call = scriptCall(update);
        List<?> raw = guard.call("register",
                () -> redis.execute(LuaScripts.REGISTER, List.of(RedisSchema.contactsKey(aor)), call.args().toArray()));
        ScriptReply reply = reply(call, raw);
        if (reply.index()) {
            indexes.indexQuietly(aor, call.earliest());
        } else if (reply.unlist()) {
            indexes.unlistIfEmpty(aor);
        }
        return reply.result();
    }

    /**
     * {@link #register} without blocking: the stage completes on Lettuce's I/O thread when Redis has answered (and
     * the indexes are updated), or fails with {@link io.siplane.location.LocationUnavailableException}.
     */
    public CompletionStage<RegisterResult> registerAsync(RegisterUpdate update) {
        AddressOfRecord aor = update.aor();
        if (update.isQuery()) {
            return lookupAsync(aor).thenApply(RegisterResult.Applied::new);
        }
        ScriptCall call = scriptCall(update);
        byte[][] keys = { AsyncRedis.bytes(RedisSchema.contactsKey(aor)) };
        byte[][] args = AsyncRedis.bytes(call.args().toArray(String[]::new));
        return guard.<List<Object>>callAsync("register", () -> async.script(LuaScripts.REGISTER, ScriptOutputType.MULTI, keys, args))
                .thenCompose(raw -> {
                    ScriptReply reply = reply(call, raw);
                    if (reply.index()) {
                        return indexes.indexQuietlyAsync(aor, call.earliest()).thenApply(done -> reply.result());
                    }
                    if (reply.unlist()) {
                        return indexes.unlistIfEmptyAsync(aor).thenApply(done -> reply.result());
                    }
                    return CompletableFuture.completedFuture(reply.result());
                });
    }

    public List<Binding> lookup(AddressOfRecord aor) {
        Map<Object, Object> raw = guard.call("lookup", () -> redis.opsForHash().entries(RedisSchema.contactsKey(aor)));
        return codec.decodeLive(raw.values(), clock.instant());
    }

    public CompletionStage<List<Binding>> lookupAsync(AddressOfRecord aor) {
        byte[] key = AsyncRedis.bytes(RedisSchema.contactsKey(aor));
        return guard.<List<byte[]>>callAsync("lookup", () -> async.run(c -> c.hvals(key)))
                .thenApply(values -> codec.decodeLive(values, clock.instant()));
    }

    public boolean removeContact(AddressOfRecord aor, String contactKey) {
        Long removed = guard.call("removeContact", () -> redis.execute(LuaScripts.REMOVE,
                List.of(RedisSchema.contactsKey(aor), RedisSchema.subscriberKey(aor)),
                RedisSchema.EVENTS_CHANNEL, aor.uri(), contactKey, "0"));
        indexes.unlistIfEmpty(aor);
        return removed != null && removed > 0;
    }

    public int removeAll(AddressOfRecord aor) {
        Long removed = guard.call("removeAll", () -> redis.execute(LuaScripts.REMOVE,
                List.of(RedisSchema.contactsKey(aor), RedisSchema.subscriberKey(aor)),
                RedisSchema.EVENTS_CHANNEL, aor.uri(), "", "0"));
        indexes.unlistIfEmpty(aor);
        return removed == null ? 0 : removed.intValue();
    }
}
