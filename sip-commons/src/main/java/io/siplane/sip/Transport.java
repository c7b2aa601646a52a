package io.siplane.sip;

import java.util.Locale;
import java.util.Optional;

/**
 * The SIP transports a listening point can serve (RFC 3261 §18; TLS §26.2.1). The order is part of the gateway's flow
 * tokens (ordinal): new transports go last.
 */
public enum Transport {
    UDP,
    TCP,
    TLS;

    /** The token as JAIN-SIP and the Via header spell it: {@code udp}, {@code tcp}, {@code tls}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a Via transport or {@code transport=} URI parameter, case-insensitively. */
    public static Optional<Transport> fromToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        for (Transport t : values()) {
            if (t.name().equalsIgnoreCase(token.strip())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
