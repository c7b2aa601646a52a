package io.siplane.proxy.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.location.cache.LocationChangeListener;
import io.siplane.sip.digest.Ha1Hashes;
import io.siplane.sip.digest.Ha1Source;

/**
 * The HA1 of a caller from the location store's subscribers (realm = the subscriber's domain, as at registration),
 * kept in memory for {@code ttl} so that a local user can still call while Redis is down (the callee's bindings are
 * in the near-cache). A subscriber change event (created, deleted: location-service publishes one on
 * {@code loc:events}, as every REGISTER does) evicts the caller at once; an unknown user is not cached, so a new
 * subscriber can call at once.
 *
 * <p>An outage is not an unknown user: for a caller not cached, {@link io.siplane.location.LocationUnavailableException}
 * passes through and the caller gets 503.
 */
public final class StoreHa1Source implements Ha1Source, LocationChangeListener {

    private final LocationStore store;
    /**
     * Entries are futures put before Redis is asked: an eviction that arrives while one is loading removes it at
     * once (without waiting for Redis, on the thread that delivers events), so an older answer never outlives the
     * event; concurrent requests of one caller share one load. A future completed empty or failed is dropped.
     */
    private final AsyncCache<AddressOfRecord, Ha1Hashes> cache;

    public StoreHa1Source(LocationStore store, Duration ttl, long maxSize) {
        this.store = store;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).buildAsync();
    }

    @Override
    public Optional<Ha1Hashes> find(String username, String realm) {
        Optional<AddressOfRecord> aor = AddressOfRecord.tryParse("sip:" + username + "@" + realm)
                .filter(a -> a.user().equals(username));
        return aor.map(this::cachedOrLoaded);
    }

    private Ha1Hashes cachedOrLoaded(AddressOfRecord aor) {
        CompletableFuture<Ha1Hashes> mine = new CompletableFuture<>();
        // the mapping only puts our future; Redis is asked outside the cache's lock
        CompletableFuture<Ha1Hashes> entry = cache.get(aor, (key, executor) -> mine);
        if (entry == mine) {
            try {
                mine.complete(store.findSubscriber(aor).map(s -> new Ha1Hashes(s.ha1Md5(), s.ha1Sha256())).orElse(null));
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
        }
        try {
            return entry.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
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
