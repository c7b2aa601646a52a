package io.siplane.location.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.AorBindings;
import io.siplane.location.AorPage;
import io.siplane.location.Binding;

/** Pages of AORs with bindings, from {@link RedisSchema#AOR_INDEX} (for location-service's REST listing). */
public final class AorListing {

    private final StringRedisTemplate redis;
    private final RedisGuard guard;
    private final Clock clock;
    private final BindingCodec codec = new BindingCodec();

    AorListing(StringRedisTemplate redis, RedisGuard guard, Clock clock) {
        this.redis = redis;
        this.guard = guard;
        this.clock = clock;
    }

    public AorPage list(Optional<String> domain, Optional<String> cursor, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000");
        }
        String prefix = domain.map(d -> d.toLowerCase(Locale.ROOT) + " ").orElse("");
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

    /** Number of AORs with at least one binding. */
    public long countAors() {
        Long n = guard.call("countAors", () -> redis.opsForZSet().zCard(RedisSchema.AOR_INDEX));
        return n == null ? 0 : n;
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
            List<Binding> bindings = codec.decodeLive(values, now);
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
}
