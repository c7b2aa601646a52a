package io.siplane.sip.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The digest algorithms offered and accepted (RFC 7616 §3.2, RFC 8760 for SIP). {@code -sess} variants are not. */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", 32),
    SHA_256("SHA-256", "SHA-256", 64);

    private final String wireName;
    private final String jcaName;
    private final int hexLength;

    DigestAlgorithm(String wireName, String jcaName, int hexLength) {
        this.wireName = wireName;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    /** As written in the {@code algorithm} parameter. */
    public String wireName() {
        return wireName;
    }

    /** Length of a hash in lower-case hex. */
    public int hexLength() {
        return hexLength;
    }

    /**
     * The algorithm named by an {@code algorithm} parameter; an absent parameter means MD5 (RFC 7616 §3.3, RFC 2617
     * compatibility).
     */
    public static Optional<DigestAlgorithm> fromWireName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(MD5);
        }
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (DigestAlgorithm a : values()) {
            if (a.wireName.equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** {@code hex(H(text))}. */
    public String hash(String text) {
        return HexFormat.of().formatHex(messageDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The expected {@code response} for {@code qop=auth} (RFC 7616 §3.4.1): H(HA1:nonce:nc:cnonce:qop:H(method:uri)).
     */
    public String response(String ha1, String method, String digestUri, String nonce, String nc, String cnonce, String qop) {
        String ha2 = hash(method + ":" + digestUri);
        return hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    private MessageDigest messageDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
