package io.siplane.gateway.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.siplane.sip.Transport;

/**
 * Encodes a {@link Flow} into the user part of this gateway's Path and Record-Route URIs, and reads it back
 * (RFC 5626 §5.2: a flow token the edge proxy can recognise and that nobody else can forge). The token is
 * {@code base64url(transport | address | port) "." base64url(HMAC-SHA256(key, payload)[0..12])}: only characters
 * allowed in a SIP user part, and a forged or altered token fails the MAC check.
 */
public final class FlowTokens {

    private static final int MAC_BYTES = 12;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    /** A keyed Mac per thread: looking the algorithm up and keying it cost more than the MAC itself. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public FlowTokens(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the flow token secret needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** A key from configuration, or 32 random bytes when none is configured. */
    public static FlowTokens withSecret(String configured) {
        if (configured.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new FlowTokens(random);
        }
        return new FlowTokens(configured.getBytes(StandardCharsets.UTF_8));
    }

    public String encode(Flow flow) {
        byte[] address;
        try {
            address = InetAddress.getByName(flow.ip()).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("a flow's address must be an IP literal: " + flow.ip(), e);
        }
        ByteBuffer payload = ByteBuffer.allocate(1 + address.length + 2);
        payload.put((byte) flow.transport().ordinal()).put(address).putShort((short) flow.port());
        byte[] bytes = payload.array();
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /** The flow in {@code token}, if it is one of ours and unaltered. */
    public Optional<Flow> decode(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(token.substring(0, dot));
            byte[] mac = DECODER.decode(token.substring(dot + 1));
            if ((payload.length != 7 && payload.length != 19) || !MessageDigest.isEqual(mac, mac(payload))) {
                return Optional.empty();
            }
            int t = payload[0];
            if (t < 0 || t >= Transport.values().length) {
                return Optional.empty();
            }
            byte[] address = Arrays.copyOfRange(payload, 1, payload.length - 2);
            int port = ByteBuffer.wrap(payload, payload.length - 2, 2).getShort() & 0xffff;
            return Optional.of(new Flow(Transport.values()[t], InetAddress.getByAddress(address).getHostAddress(), port));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        return Arrays.copyOf(macs.get().doFinal(payload), MAC_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
