package io.siplane.registrar.register;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One Contact of a REGISTER as the client wrote it, before the registrar's expiry policy.
 *
 * @param uri        the contact URI (without header parameters)
 * @param expires    its {@code expires} parameter, if any
 * @param q          its {@code q} parameter, if any (0..1)
 * @param instanceId {@code +sip.instance} (RFC 5626), if any
 * @param regId      {@code reg-id} (RFC 5626), if any
 */
public record RequestedContact(String uri, OptionalInt expires, Optional<Double> q, Optional<String> instanceId, OptionalInt regId) {

    public static RequestedContact of(String uri) {
        return new RequestedContact(uri, OptionalInt.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty());
    }
}
