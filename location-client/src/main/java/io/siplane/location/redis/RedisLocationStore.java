package io.siplane.location.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.AorBindings;
import io.siplane.location.AorPage;
import io.siplane.location.Binding;
import io.siplane.location.ContactLimitPolicy;
import io.siplane.location.ContactUpdate;
import io.siplane.location.LocationStore;
import io.siplane.location.RegisterResult;
import io.siplane.location.RegisterUpdate;
import io.siplane.location.Subscriber;

/**
 * The location store on Redis (standalone, Sentinel or Cluster through Spring Data Redis).
 * Schema: {@link RedisSchema}. Each REGISTER is one Lua script on the AOR's contacts hash (atomic,
 * Call-ID/CSeq rule inside), followed by one script on the two indexes when they need it (not for a refresh).
 */
public class RedisLocationStore implements LocationStore {

    private static final Logger log = LoggerFactory.getLogger(RedisLocationStore.class);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> REGISTER = script("register.lua", List.class);
    private static final RedisScript<Long> PURGE = script("purge.lua", Long.class);
    private static final RedisScript<Long> REMOVE = script("remove.lua", Long.class);
    private static final RedisScript<Long> INDEX = script("index.lua", Long.class);
    private static final RedisScript<Long> CREATE_SUBSCRIBER = script("subscriber.lua", Long.class);

    private final StringRedisTemplate redis;
    private final RedisGuard guard;
    private final Clock clock;
    private final int maxContactsPerAor;
    private final ContactLimitPolicy contactLimitPolicy;
    private final BindingCodec codec = new BindingCodec();

    public RedisLocationStore(StringRedisTemplate redis, RedisGuard guard, Clock clock, int maxContactsPerAor,
                              ContactLimitPolicy contactLimitPolicy) {
        this.redis = redis;
        this.guard = guard;
        this.clock = clock;
        this.maxContactsPerAor = maxContactsPerAor;
        this.contactLimitPolicy = contactLimitPolicy;
    }

    /**
     * The script's text is read once: a script backed by a resource re-reads the resource's last-modified time on
     * every call (to re-hash a changed file), which inside a jar is a jar lookup under a lock, on every REGISTER.
     */
    static <T> RedisScript<T> script(String name, Class<T> type) {
        try (InputStream in = new ClassPathResource("io/siplane/location/redis/" + name).getInputStream()) {
            return RedisScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redis script " + name, e);
        }
    }

    @Override
    public RegisterResult register(RegisterUpdate update) {
        AddressOfRecord aor = update.aor();
        if (update.isQuery()) {
            return new RegisterResult.Applied(lookup(aor));
        }
        long now = clock.millis();
        List<String> args = new ArrayList<>(8 + 2 * update.contacts().size());
        args.add(Long.toString(now));
        args.add(update.callId());
        args.add(Long.toString(update.cseq()));
        args.add(update.removeAll() ? "1" : "0");
        args.add(Integer.toString(maxContactsPerAor));
        args.add(contactLimitPolicy.name());
        args.add(RedisSchema.EVENTS_CHANNEL);
        args.add(aor.uri());
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
        @SuppressWarnings("unchecked")
        List<Object> reply = guard.call("register",
                () -> redis.execute(REGISTER, List.of(RedisSchema.contactsKey(aor)), args.toArray()));
        String status = String.valueOf(reply.get(0));
        long earliestBefore = Long.parseLong(String.valueOf(reply.get(1)));
        List<Binding> bindings = decodeAll(reply.subList(2, reply.size()), Instant.ofEpochMilli(now));
        switch (status) {
            case "STALE":
                return new RegisterResult.StaleCSeq(bindings);
            case "TOO_MANY":
                return new RegisterResult.TooManyContacts(maxContactsPerAor, bindings);
            default:
                break;
        }
        if (earliest != Long.MAX_VALUE && !bindings.isEmpty() && (earliestBefore == 0 || earliest < earliestBefore)) {
            // An AOR that already had bindings is in both indexes, with an expiry score at or below their earliest
            // expiry: a refresh that expires no sooner would change neither (a round trip saved per re-REGISTER).
            indexQuietly(aor, earliest);
        } else if (bindings.isEmpty()) {
            dropFromListingIfEmpty(aor);
        }
        return new RegisterResult.Applied(bindings);
    }

    /**
     * The index update follows a REGISTER that is already stored: it must not turn a stored binding into
     * an error. If it fails, the key's own TTL still removes the bindings, and the AOR is indexed again by its
     * next REGISTER that brings an earlier expiry or its first binding.
     */
    private void indexQuietly(AddressOfRecord aor, long earliestExpiry) {
        try {
            guard.call("index", () -> redis.execute(INDEX, List.of(RedisSchema.EXPIRY_INDEX, RedisSchema.AOR_INDEX),
                    Long.toString(earliestExpiry), aor.uri(), RedisSchema.indexMember(aor)));
        } catch (RuntimeException e) {
            log.warn("Could not index {} after storing its bindings: {}", aor, e.toString());
        }
    }

    /**
     * Removes an AOR from the listing index once it has no bindings. Removing first and re-checking after
     * keeps a concurrent REGISTER (whose index update runs after its write) from being lost.
     */
    private void dropFromListingIfEmpty(AddressOfRecord aor) {
        String member = RedisSchema.indexMember(aor);
        guard.call("unindex", () -> {
            redis.opsForZSet().remove(RedisSchema.AOR_INDEX, member);
            if (Boolean.TRUE.equals(redis.hasKey(RedisSchema.contactsKey(aor)))) {
                redis.opsForZSet().addIfAbsent(RedisSchema.AOR_INDEX, member, 0);
            }
            return null;
        });
    }

    @Override
    public List<Binding> lookup(AddressOfRecord aor) {
        Map<Object, Object> raw = guard.call("lookup", () -> redis.opsForHash().entries(RedisSchema.contactsKey(aor)));
        return decodeAll(raw.values(), clock.instant());
    }

    @Override
    public boolean isSubscriber(AddressOfRecord aor) {
        return Boolean.TRUE.equals(guard.call("isSubscriber", () -> redis.hasKey(RedisSchema.subscriberKey(aor))));
    }

    private List<Binding> decodeAll(java.util.Collection<?> jsons, Instant now) {
        List<Binding> out = new ArrayList<>(jsons.size());
        for (Object json : jsons) {
            Binding b = codec.decode(String.valueOf(json));
            if (!b.isExpired(now)) {
                out.add(b);
            }
        }
        out.sort(Binding.PREFERENCE_ORDER);
        return out;
    }

    @Override
    public boolean removeContact(AddressOfRecord aor, String contactKey) {
        Long removed = guard.call("removeContact", () -> redis.execute(REMOVE,
                List.of(RedisSchema.contactsKey(aor), RedisSchema.subscriberKey(aor)),
                RedisSchema.EVENTS_CHANNEL, aor.uri(), contactKey, "0"));
        dropFromListingIfEmpty(aor);
        return removed != null && removed > 0;
    }

    @Override
    public int removeAll(AddressOfRecord aor) {
        Long removed = guard.call("removeAll", () -> redis.execute(REMOVE,
                List.of(RedisSchema.contactsKey(aor), RedisSchema.subscriberKey(aor)),
                RedisSchema.EVENTS_CHANNEL, aor.uri(), "", "0"));
        dropFromListingIfEmpty(aor);
        return removed == null ? 0 : removed.intValue();
    }

    @Override
    public AorPage list(Optional<String> domain, Optional<String> cursor, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000");
        }
        String prefix = domain.map(d -> d.toLowerCase(java.util.Locale.ROOT) + " ").orElse("");
        Range.Bound<String> lower;
        if (cursor.isPresent()) {
            String after = decodeCursor(cursor.get());
            if (!after.startsWith(prefix)) {
                throw new IllegalArgumentException("cursor does not belong to this listing");
            }
            lower = Range.Bound.exclusive(after);
        } else {
            lower = prefix.isEmpty() ? Range.Bound.unbounded() : Range.Bound.inclusive(prefix);
        }
        // ' ' ends the domain in a member; '!' is the next byte, so "<domain>!" bounds the domain's members
        Range.Bound<String> upper = prefix.isEmpty() ? Range.Bound.unbounded()
                : Range.Bound.exclusive(prefix.substring(0, prefix.length() - 1) + "!");
        Range<String> range = Range.of(lower, upper);
        Set<String> members = guard.call("list", () -> redis.opsForZSet().rangeByLex(RedisSchema.AOR_INDEX, range,
                Limit.limit().count(limit + 1)));
        List<String> page = new ArrayList<>(members);
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        List<AorBindings> items = fetchAll(page);
        Optional<String> next = more ? Optional.of(encodeCursor(page.get(page.size() - 1))) : Optional.empty();
        return new AorPage(items, next);
    }

    private List<AorBindings> fetchAll(List<String> members) {
        if (members.isEmpty()) {
            return List.of();
        }
        List<AddressOfRecord> aors = members.stream().map(RedisSchema::aorOfIndexMember).toList();
        List<Object> replies = guard.call("list", () -> redis.executePipelined((RedisCallback<Object>) connection -> {
            for (AddressOfRecord aor : aors) {
                connection.hashCommands().hVals(RedisSchema.contactsKey(aor).getBytes(StandardCharsets.UTF_8));
            }
            return null;
        }));
        Instant now = clock.instant();
        List<AorBindings> out = new ArrayList<>(aors.size());
        for (int i = 0; i < aors.size(); i++) {
            List<?> values = replies.get(i) instanceof List<?> l ? l : List.of();
            List<Binding> bindings = decodeAll(values, now);
            if (!bindings.isEmpty()) {
                out.add(new AorBindings(aors.get(i), bindings));
            }
        }
        return out;
    }

    private static String encodeCursor(String member) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(member.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String member = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (member.indexOf(' ') <= 0) {
                throw new IllegalArgumentException("malformed cursor");
            }
            RedisSchema.aorOfIndexMember(member);
            return member;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed cursor", e);
        }
    }

    @Override
    public boolean createSubscriber(Subscriber s) {
        AddressOfRecord aor = s.aor();
        Long created = guard.call("createSubscriber", () -> redis.execute(CREATE_SUBSCRIBER,
                List.of(RedisSchema.subscriberKey(aor)), RedisSchema.EVENTS_CHANNEL, aor.uri(),
                "username", s.username(), "domain", s.domain(), "ha1_md5", s.ha1Md5(),
                "ha1_sha256", s.ha1Sha256(), "created_at", Long.toString(s.createdAt().toEpochMilli())));
        return created != null && created == 1;
    }

    @Override
    public Optional<Subscriber> findSubscriber(AddressOfRecord aor) {
        Map<Object, Object> h = guard.call("findSubscriber", () -> redis.opsForHash().entries(RedisSchema.subscriberKey(aor)));
        if (h == null || h.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Subscriber(String.valueOf(h.get("username")), String.valueOf(h.get("domain")),
                String.valueOf(h.get("ha1_md5")), String.valueOf(h.get("ha1_sha256")),
                Instant.ofEpochMilli(Long.parseLong(String.valueOf(h.getOrDefault("created_at", "0"))))));
    }

    @Override
    public boolean deleteSubscriber(AddressOfRecord aor) {
        Long removed = guard.call("deleteSubscriber", () -> redis.execute(REMOVE,
                List.of(RedisSchema.contactsKey(aor), RedisSchema.subscriberKey(aor)),
                RedisSchema.EVENTS_CHANNEL, aor.uri(), "", "1"));
        dropFromListingIfEmpty(aor);
        return removed != null && removed >= 1_000_000;
    }

    @Override
    public long countAors() {
        Long n = guard.call("countAors", () -> redis.opsForZSet().zCard(RedisSchema.AOR_INDEX));
        return n == null ? 0 : n;
    }

    /**
     * Visits AORs whose earliest expiry is due. Each is taken out of the expiry index first, purged, and
     * put back with its new earliest expiry: a REGISTER racing with the sweep re-indexes itself after its
     * write, so no binding is left without an index entry.
     */
    @Override
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
                Long earliest = redis.execute(PURGE, List.of(RedisSchema.contactsKey(aor)), Long.toString(now),
                        RedisSchema.EVENTS_CHANNEL, uri);
                if (earliest != null && earliest > 0) {
                    redis.execute(INDEX, List.of(RedisSchema.EXPIRY_INDEX, RedisSchema.AOR_INDEX),
                            Long.toString(earliest), uri, RedisSchema.indexMember(aor));
                    return false;
                }
                return true;
            });
            if (empty) {
                dropFromListingIfEmpty(aor);
            }
        }
        return due.size();
    }

    @Override
    public boolean ping() {
        try {
            String pong = redis.execute((RedisCallback<String>) RedisConnection::ping);
            return "PONG".equalsIgnoreCase(pong);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<Binding> lookupUncached(AddressOfRecord aor) {
        return lookup(aor);
    }
}
