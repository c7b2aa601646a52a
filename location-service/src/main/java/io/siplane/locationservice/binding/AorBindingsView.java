package io.siplane.locationservice.binding;

import java.time.Instant;
import java.util.List;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.swagger.v3.oas.annotations.media.Schema;

/** An AOR and its contacts, most preferred first. */
@Schema(name = "AorBindings")
record AorBindingsView(
        @Schema(example = "sip:alice@example.com") String aor,
        List<ContactView> contacts) {

    static AorBindingsView of(AddressOfRecord aor, List<Binding> bindings, Instant now) {
        return new AorBindingsView(aor.uri(), bindings.stream()
                .filter(b -> !b.isExpired(now))
                .map(b -> ContactView.of(b, now))
                .toList());
    }
}
