package io.siplane.location.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;

/**
 * Subscribers (their HA1) by digest username and realm — the realm being the subscriber's domain — kept in memory
 * for {@code ttl}: the registrar and the proxy authenticate through it. The registrar's 401 loads the user's entry,
 * so the authenticated retry finds it here; the proxy keeps authenticating callers it knows while Redis is down.
 * A change event for the AOR (subscriber created or deleted, bindings changed: {@code loc:events}) evicts it at
 * once; an unknown user is not cached, so a new subscriber is known at once.
 *
 * <p>An outage is not an unknown user: for a user not cached, {@link io.siplane.location.LocationUnavailableException}
 * passes through (thrown, or as the stage's failure), and the caller answers 500/503 with Retry-After.
 */
public final class CachedSubscribers implements LocationChangeListener {

    private final LocationStore store;
    /**
     * Entries are futures put before Redis is asked: an eviction that arrives while one is loading removes it at
     * once (without waiting for Redis, on the thread that delivers events), so an older answer never outlives the
     * event; concurrent requests of one user share one load. A future completed empty (null) or failed is dropped.
     */
    private final AsyncCache<AddressOfRecord, Subscriber> cache;

    public CachedSubscribers(LocationStore store, Duration ttl, long maxSize) {
        this.store = store;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).buildAsync();
    }

    /** The subscriber {@code username} of {@code realm}, blocking while it is loaded. */
    public Optional<Subscriber> find(String username, String realm) {
        Optional<AddressOfRecord> aor = aor(username, realm);
        if (aor.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(entry(aor.get(), false).join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The same, never blocking: from memory, or when Redis has answered. */
    public CompletionStage<Optional<Subscriber>> findAsync(String username, String realm) {
        Optional<AddressOfRecord> aor = aor(username, realm);
        if (aor.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return entry(aor.get(), true).thenApply(Optional::ofNullable);
    }

    /** Starts loading {@code aor} if it is not in memory (the registrar, when it challenges), without waiting. */
    public void prefetch(AddressOfRecord aor) {
        entry(aor, true);
    }

    private CompletableFuture<Subscriber> entry(AddressOfRecord aor, boolean async) {
        CompletableFuture<Subscriber> mine = new CompletableFuture<>();
        // the mapping only puts our future; Redis is asked outside the cache's lock
        CompletableFuture<Subscriber> entry = cache.get(aor, (key, executor) -> mine);
        if (entry == mine) {
            if (async) {
                store.findSubscriberAsync(aor).whenComplete((s, failure) -> {
                    if (failure != null) {
                        mine.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : failure);
                    } else {
                        mine.complete(s.orElse(null));
                    }
                });
            } else {
                try {
                    mine.complete(store.findSubscriber(aor).orElse(null));
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                }
            }
        }
        return entry;
    }

    /** A digest username that is not an AOR's user part as such (escaped, or not parseable) matches no one. */
    private static Optional<AddressOfRecord> aor(String username, String realm) {
        return AddressOfRecord.tryParse("sip:" + username + "@" + realm).filter(a -> a.user().equals(username));
    }

    @Override
    public void changed(AddressOfRecord aor) {
        cache.synchronous().invalidate(aor);
    }

    @Override
    public void allChanged() {
        cache.synchronous().invalidateAll();
    }
}
