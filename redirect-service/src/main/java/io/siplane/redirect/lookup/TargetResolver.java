package io.siplane.redirect.lookup;

import java.util.List;

import org.springframework.stereotype.Component;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.LocationUnavailableException;

/** Looks an AOR up through the near-cache and says what should become of the request. */
@Component
public class TargetResolver {

    private final BindingLookup lookup;

    public TargetResolver(BindingLookup lookup) {
        this.lookup = lookup;
    }

    public Resolution resolve(AddressOfRecord aor) {
        try {
            List<Binding> bindings = lookup.lookup(aor);
            if (!bindings.isEmpty()) {
                return new Resolution.Contacts(bindings);
            }
            return lookup.isSubscriber(aor) ? new Resolution.NotRegistered() : new Resolution.UnknownUser();
        } catch (LocationUnavailableException e) {
            return new Resolution.StoreUnavailable();
        }
    }
}
