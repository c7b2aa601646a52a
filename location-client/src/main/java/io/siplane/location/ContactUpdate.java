package io.siplane.location;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one Contact of a REGISTER asks for: bind (expires &gt; 0) or unbind (expires 0).
 * Expires is already resolved by the registrar (contact parameter, else Expires header, else default)
 * and within its limits.
 */
public record ContactUpdate(
        String contactUri,
        int expiresSeconds,
        Optional<Double> q,
        List<String> path,
        Optional<ReceivedFrom> received,
        Optional<String> userAgent,
        Optional<String> instanceId,
        OptionalInt regId) {

    public ContactUpdate {
        if (contactUri == null || contactUri.isBlank()) {
            throw new IllegalArgumentException("contact URI is required");
        }
        if (expiresSeconds < 0) {
            throw new IllegalArgumentException("expires must not be negative");
        }
        q.ifPresent(v -> {
            if (v < 0.0 || v > 1.0) {
                throw new IllegalArgumentException("q must be between 0 and 1");
            }
        });
        path = path == null ? List.of() : List.copyOf(path);
    }

    /** A plain contact: no q, no Path, no source, no instance. */
    public static ContactUpdate of(String contactUri, int expiresSeconds) {
        return new ContactUpdate(contactUri, expiresSeconds, Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    public String key() {
        return Binding.keyOf(contactUri, instanceId, regId);
    }
}
