package io.siplane.sip.digest;

/**
 * One challenge to put in {@code WWW-Authenticate} (401) or {@code Proxy-Authenticate} (407), RFC 7616 §3.3:
 * {@code Digest realm="…", nonce="…", algorithm=…, qop="auth"[, stale=true]}.
 */
public record DigestChallenge(String realm, String nonce, DigestAlgorithm algorithm, String qop, boolean stale) {
}
