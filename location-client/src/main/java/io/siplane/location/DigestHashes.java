package io.siplane.location;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** HA1 computation for digest authentication (RFC 7616 §3.4.2). */
public final class DigestHashes {

    private DigestHashes() {
    }

    /** {@code hex(H(username ":" realm ":" password))}, H being {@code MD5} or {@code SHA-256}. */
    public static String ha1(String algorithm, String username, String realm, char[] password) {
        MessageDigest md = digest(algorithm);
        md.update((username + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
        ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[pw.remaining()];
        pw.get(bytes);
        md.update(bytes);
        Arrays.fill(bytes, (byte) 0);
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equalsIgnoreCase("SHA-256") ? "SHA-256" : "MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
