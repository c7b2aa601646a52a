package io.siplane.location;

import java.util.List;

/** Read side for the hot path (proxy, redirect): the live bindings of an AOR. */
public interface BindingLookup {

    /**
     * The unexpired bindings of {@code aor}, in {@link Binding#PREFERENCE_ORDER}; empty when none.
     *
     * @throws LocationUnavailableException when the store cannot answer and no usable cached answer exists
     */
    List<Binding> lookup(AddressOfRecord aor);

    /**
     * Whether {@code aor} is a provisioned subscriber (to tell 404 from 480).
     *
     * @throws LocationUnavailableException when the store cannot answer and nothing is cached
     */
    boolean isSubscriber(AddressOfRecord aor);
}
