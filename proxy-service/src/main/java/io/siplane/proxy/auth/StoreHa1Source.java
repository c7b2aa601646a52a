package io.siplane.proxy.auth;

import java.time.Duration;
import java.util.Optional;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.location.cache.CachedSubscribers;
import io.siplane.location.cache.LocationChangeListener;
import io.siplane.sip.digest.Ha1Hashes;
import io.siplane.sip.digest.Ha1Source;

/**
 * The HA1 of a caller from location-client's {@link CachedSubscribers} (the one HA1 cache the registrar uses too):
 * kept for {@code ttl} so that a local user can still call while Redis is down, evicted by change events. For a
 * caller not cached, an outage passes through and the caller gets 503.
 */
public final class StoreHa1Source implements Ha1Source, LocationChangeListener {

    private final CachedSubscribers subscribers;

    public StoreHa1Source(LocationStore store, Duration ttl, long maxSize) {
        this.subscribers = new CachedSubscribers(store, ttl, maxSize);
    }

    @Override
    public Optional<Ha1Hashes> find(String username, String realm) {
        return subscribers.find(username, realm).map(s -> new Ha1Hashes(s.ha1Md5(), s.ha1Sha256()));
    }

    @Override
    public void changed(AddressOfRecord aor) {
        subscribers.changed(aor);
    }

    @Override
    public void allChanged() {
        subscribers.allChanged();
    }
}
