package io.siplane.proxy.relay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs this proxy's Record-Route entries (parameter {@value #PARAMETER}) with the dialog's Call-ID, so that an
 * in-dialog request coming back along the route set can show the proxy built it: {@code base64url(HMAC-SHA256(key,
 * Call-ID)[0..12))}. The proxy keeps no dialog state, so without it a request with a forged To-tag and a Route naming
 * the proxy would be relayed wherever its Request-URI points (an open relay). Every replica holding the same secret
 * verifies every other replica's entries.
 *
 * <p>What it does not stop: a party of a real record-routed dialog knows that dialog's signature and could reuse it
 * with the same Call-ID.
 */
public final class RecordRouteSignature {

    /** The Record-Route URI parameter carrying the signature. */
    public static final String PARAMETER = "rrsig";
    private static final int MAC_BYTES = 12;
    private static final byte[] LABEL = "siplane proxy record-route v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;

    /** @param secret shared by the replicas; a key for this purpose alone is derived from it */
    public RecordRouteSignature(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the record-route secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(secret, "HmacSHA256"), LABEL), "HmacSHA256");
    }

    public String sign(String callId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(callId));
    }

    /** Whether {@code signature} is ours for {@code callId}; compared in constant time. */
    public boolean verify(String signature, String callId) {
        if (signature == null || callId == null) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(callId), given);
    }

    private byte[] mac(String callId) {
        return Arrays.copyOf(hmac(key, callId.getBytes(StandardCharsets.UTF_8)), MAC_BYTES);
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
