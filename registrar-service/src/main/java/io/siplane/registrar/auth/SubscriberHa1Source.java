package io.siplane.registrar.auth;

import java.util.Optional;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.LocationStore;
import io.siplane.sip.digest.Ha1Hashes;
import io.siplane.sip.digest.Ha1Source;

/**
 * HA1 from the location store's subscribers: {@code username@realm}, the realm being the subscriber's domain.
 * A {@link io.siplane.location.LocationUnavailableException} passes through, so the registrar answers 500 with
 * Retry-After instead of treating an outage as an unknown user.
 */
public class SubscriberHa1Source implements Ha1Source {

    private final LocationStore store;

    public SubscriberHa1Source(LocationStore store) {
        this.store = store;
    }

    @Override
    public Optional<Ha1Hashes> find(String username, String realm) {
        Optional<AddressOfRecord> aor = AddressOfRecord.tryParse("sip:" + username + "@" + realm);
        if (aor.isEmpty() || !aor.get().user().equals(username)) {
            return Optional.empty();
        }
        return store.findSubscriber(aor.get()).map(s -> new Ha1Hashes(s.ha1Md5(), s.ha1Sha256()));
    }
}
