package io.siplane.proxy.auth;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
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
    private final Cache<AddressOfRecord, Ha1Hashes> cache;

    public StoreHa1Source(LocationStore store, Duration ttl, long maxSize) {
        this.store = store;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).build();
    }

    @Override
    public Optional<Ha1Hashes> find(String username, String realm) {
        // Caffeine loads one key at a time: an eviction that arrives during a load waits for it and then removes
        // what it loaded, so an event is never overtaken by an older answer; a load that finds no one stores nothing
        return AddressOfRecord.tryParse("sip:" + username + "@" + realm)
                .filter(aor -> aor.user().equals(username))
                .map(aor -> cache.get(aor, this::load));
    }

    private Ha1Hashes load(AddressOfRecord aor) {
        return store.findSubscriber(aor).map(s -> new Ha1Hashes(s.ha1Md5(), s.ha1Sha256())).orElse(null);
    }

    @Override
    public void changed(AddressOfRecord aor) {
        cache.invalidate(aor);
    }

    @Override
    public void allChanged() {
        cache.invalidateAll();
    }
}
