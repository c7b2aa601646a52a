package io.siplane.location;

import java.util.List;

/** An address-of-record with its current bindings, in {@link Binding#PREFERENCE_ORDER}. */
public record AorBindings(AddressOfRecord aor, List<Binding> bindings) {
    public AorBindings {
        bindings = List.copyOf(bindings);
    }
}
