package io.siplane.proxy.validate;

import java.util.Optional;
import java.util.Set;

/**
 * Why a request is answered by the proxy itself instead of being forwarded.
 *
 * @param status      the SIP status
 * @param reason      a reason phrase of our own, if the standard one would mislead
 * @param unsupported the option tags to list in {@code Unsupported} (with 420)
 */
public record Rejection(int status, Optional<String> reason, Set<String> unsupported) {

    public Rejection {
        reason = reason == null ? Optional.empty() : reason;
        unsupported = unsupported == null ? Set.of() : Set.copyOf(unsupported);
    }

    public static Rejection of(int status) {
        return new Rejection(status, Optional.empty(), Set.of());
    }

    public static Rejection of(int status, String reason) {
        return new Rejection(status, Optional.of(reason), Set.of());
    }
}
