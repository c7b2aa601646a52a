package io.siplane.proxy.auth;

import java.util.Optional;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.sip.digest.Ha1Hashes;
import io.siplane.sip.digest.Ha1Source;

/**
 * The HA1 of a caller from the location store's subscribers (realm = the subscriber's domain, as at registration).
 * An outage is not an unknown user: {@link io.siplane.location.LocationUnavailableException} passes through and the
 * caller gets 503.
 */
public final class StoreHa1Source implements Ha1Source {

    private final LocationStore store;

    public StoreHa1Source(LocationStore store) {
        this.store = store;
    }

    @Override
    public Optional<Ha1Hashes> find(String username, String realm) {
        return AddressOfRecord.tryParse("sip:" + username + "@" + realm)
                .filter(aor -> aor.user().equals(username))
                .flatMap(store::findSubscriber)
                .map(s -> new Ha1Hashes(s.ha1Md5(), s.ha1Sha256()));
    }
}
