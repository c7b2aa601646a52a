package io.siplane.location;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One contact bound to an address-of-record (RFC 3261 §10): where the AOR can be reached, until when,
 * with which preference, and what REGISTER put it there.
 *
 * @param contactUri   the Contact URI as sent (without header parameters)
 * @param expiresAt    absolute expiry
 * @param q            the q-value if the contact carried one (RFC 3261 §20.10)
 * @param callId       Call-ID of the REGISTER that wrote it (RFC 3261 §10.3 step 7)
 * @param cseq         CSeq number of that REGISTER
 * @param path         Path header values, topmost first (RFC 3327)
 * @param received     the transport/address/port the REGISTER came from
 * @param userAgent    User-Agent header, if any
 * @param instanceId   {@code +sip.instance} (RFC 5626), if any
 * @param regId        {@code reg-id} (RFC 5626), if any
 * @param registeredAt when this binding was last written
 */
public record Binding(
        String contactUri,
        Instant expiresAt,
        Optional<Double> q,
        String callId,
        long cseq,
        List<String> path,
        Optional<ReceivedFrom> received,
        Optional<String> userAgent,
        Optional<String> instanceId,
        OptionalInt regId,
        Instant registeredAt) {

    /** Highest q first (a contact without q counts as 1.0), then the most recently registered. */
    public static final Comparator<Binding> PREFERENCE_ORDER = Comparator
            .comparingDouble(Binding::effectiveQ).reversed()
            .thenComparing(Binding::registeredAt, Comparator.reverseOrder())
            .thenComparing(Binding::contactUri);

    public Binding {
        if (contactUri == null || contactUri.isBlank()) {
            throw new IllegalArgumentException("contact URI is required");
        }
        if (callId == null) {
            throw new IllegalArgumentException("Call-ID is required");
        }
        path = path == null ? List.of() : List.copyOf(path);
        q = q == null ? Optional.empty() : q;
        received = received == null ? Optional.empty() : received;
        userAgent = userAgent == null ? Optional.empty() : userAgent;
        instanceId = instanceId == null ? Optional.empty() : instanceId;
        regId = regId == null ? OptionalInt.empty() : regId;
    }

    public double effectiveQ() {
        return q.orElse(1.0);
    }

    /** Whole seconds left at {@code now}, never negative. */
    public long expiresIn(Instant now) {
        long ms = Duration.between(now, expiresAt).toMillis();
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    public boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** The identity of this binding within its AOR; see {@link #keyOf}. */
    public String key() {
        return keyOf(contactUri, instanceId, regId);
    }

    /**
     * RFC 5626 §6: a binding with {@code +sip.instance} and {@code reg-id} is identified by those two;
     * otherwise by its contact URI (scheme and host compared case-insensitively, RFC 3261 §19.1.4).
     */
    public static String keyOf(String contactUri, Optional<String> instanceId, OptionalInt regId) {
        if (instanceId.isPresent() && regId.isPresent()) {
            return "inst:" + instanceId.get() + ";reg-id=" + regId.getAsInt();
        }
        return "uri:" + canonicalContact(contactUri);
    }

    static String canonicalContact(String uri) {
        String s = uri.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return s;
        }
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = s.substring(colon + 1);
        int at = rest.indexOf('@');
        String user = at >= 0 ? rest.substring(0, at + 1) : "";
        String hostAndParams = at >= 0 ? rest.substring(at + 1) : rest;
        int end = 0;
        while (end < hostAndParams.length() && ";?".indexOf(hostAndParams.charAt(end)) < 0) {
            end++;
        }
        return scheme + ":" + user + hostAndParams.substring(0, end).toLowerCase(Locale.ROOT) + hostAndParams.substring(end);
    }
}
