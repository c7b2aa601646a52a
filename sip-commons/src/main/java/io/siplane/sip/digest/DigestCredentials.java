package io.siplane.sip.digest;

import java.util.Optional;

/**
 * What a client put in {@code Authorization} or {@code Proxy-Authorization} (RFC 7616 §3.4). Never logged: the
 * {@link #toString()} shows only the username and realm.
 *
 * @param algorithm the {@code algorithm} parameter as sent (absent means MD5)
 * @param nc        the nonce-count as sent (8 hex digits), empty when absent
 */
public record DigestCredentials(
        String username,
        String realm,
        String nonce,
        String uri,
        String response,
        Optional<String> algorithm,
        Optional<String> qop,
        Optional<String> nc,
        Optional<String> cnonce,
        Optional<String> opaque) {

    public DigestCredentials {
        username = username == null ? "" : username;
        realm = realm == null ? "" : realm;
        nonce = nonce == null ? "" : nonce;
        uri = uri == null ? "" : uri;
        response = response == null ? "" : response;
    }

    @Override
    public String toString() {
        return "DigestCredentials[" + username + "@" + realm + "]";
    }
}
