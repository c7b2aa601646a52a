package io.siplane.locationservice.subscriber;

import java.time.Instant;

import io.siplane.location.Subscriber;
import io.swagger.v3.oas.annotations.media.Schema;

/** A subscriber as the API shows it: no password and no digest hashes. */
@Schema(name = "Subscriber")
record SubscriberView(
        @Schema(example = "alice") String username,
        @Schema(example = "example.com") String domain,
        @Schema(example = "sip:alice@example.com") String aor,
        Instant createdAt) {

    static SubscriberView of(Subscriber s) {
        return new SubscriberView(s.username(), s.domain(), s.aor().uri(), s.createdAt());
    }
}
