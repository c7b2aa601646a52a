package io.siplane.location.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.LocationUnavailableException;
import io.siplane.location.Reachability;

/**
 * A near-cache in front of the store for the hot path (proxy, redirect).
 *
 * <ul>
 *   <li>An answer younger than {@code freshFor} is served from memory; change events
 *       ({@link LocationEventsListener}) evict an AOR as soon as any replica changes it.</li>
 *   <li>An older answer is refetched; if the store cannot answer, the cached answer is still served while it is
 *       younger than {@code staleIfError} — the bounded time readers ride out a Redis outage. After that the
 *       lookup fails fast with {@link LocationUnavailableException}.</li>
 *   <li>Bindings that expire while cached are filtered out on every read.</li>
 * </ul>
 */
public class CachedBindingLookup implements BindingLookup, LocationChangeListener {

    private record Entry<T>(T value, long fetchedAtNanos) {
    }

    private final BindingLookup store;
    private final Clock clock;
    private final long freshForNanos;
    private final Cache<AddressOfRecord, Entry<List<Binding>>> bindings;
    private final Cache<AddressOfRecord, Entry<Boolean>> subscribers;

    public CachedBindingLookup(BindingLookup store, Clock clock, Duration freshFor, Duration staleIfError, long maxSize) {
        if (staleIfError.compareTo(freshFor) < 0) {
            throw new IllegalArgumentException("stale-if-error must not be shorter than fresh-for");
        }
        this.store = store;
        this.clock = clock;
        this.freshForNanos = freshFor.toNanos();
        this.bindings = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(staleIfError).build();
        this.subscribers = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(staleIfError).build();
    }

    @Override
    public List<Binding> lookup(AddressOfRecord aor) {
        List<Binding> cached = cachedOrFetch(bindings, aor, () -> store.lookup(aor));
        Instant now = clock.instant();
        if (cached.stream().anyMatch(b -> b.isExpired(now))) {
            return cached.stream().filter(b -> !b.isExpired(now)).toList();
        }
        return cached;
    }

    @Override
    public boolean isSubscriber(AddressOfRecord aor) {
        return cachedOrFetch(subscribers, aor, () -> store.isSubscriber(aor));
    }

    /**
     * What memory alone says about {@code aor} while it is fresh, without touching the store: for a caller on an
     * event loop, which answers a hit at once and hands a miss to a thread that may wait on the store.
     */
    public Optional<Reachability> freshReachability(AddressOfRecord aor) {
        long now = System.nanoTime();
        Entry<List<Binding>> cachedBindings = bindings.getIfPresent(aor);
        if (cachedBindings == null || now - cachedBindings.fetchedAtNanos() >= freshForNanos) {
            return Optional.empty();
        }
        Instant at = clock.instant();
        List<Binding> live = cachedBindings.value().stream().filter(b -> !b.isExpired(at)).toList();
        if (!live.isEmpty()) {
            return Optional.of(new Reachability.Registered(live));
        }
        Entry<Boolean> subscriber = subscribers.getIfPresent(aor);
        if (subscriber == null || now - subscriber.fetchedAtNanos() >= freshForNanos) {
            return Optional.empty();
        }
        return Optional.of(subscriber.value() ? new Reachability.NotRegistered() : new Reachability.UnknownUser());
    }

    private <T> T cachedOrFetch(Cache<AddressOfRecord, Entry<T>> cache, AddressOfRecord aor,
                                java.util.function.Supplier<T> fetch) {
        Entry<T> e = cache.getIfPresent(aor);
        long now = System.nanoTime();
        if (e != null && now - e.fetchedAtNanos() < freshForNanos) {
            return e.value();
        }
        try {
            T value = fetch.get();
            cache.put(aor, new Entry<>(value, now));
            return value;
        } catch (LocationUnavailableException unavailable) {
            // expireAfterWrite(staleIfError) bounds how old a served answer can be
            Entry<T> stale = cache.getIfPresent(aor);
            if (stale != null) {
                return stale.value();
            }
            throw unavailable;
        }
    }

    /** Forgets one AOR (a change event arrived for it). */
    @Override
    public void changed(AddressOfRecord aor) {
        invalidate(aor);
    }

    @Override
    public void allChanged() {
        invalidateAll();
    }

    public void invalidate(AddressOfRecord aor) {
        bindings.invalidate(aor);
        subscribers.invalidate(aor);
    }

    /** Forgets everything (events may have been missed while the subscription was down). */
    public void invalidateAll() {
        bindings.invalidateAll();
        subscribers.invalidateAll();
    }

    public long size() {
        return bindings.estimatedSize();
    }
}
