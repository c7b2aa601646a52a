package io.siplane.testsupport.torture;

import java.nio.charset.StandardCharsets;

/**
 * One torture test message, byte for byte as the RFC gives it (hosts not yet rewritten: see {@link HostRewriter}).
 *
 * @param name        the RFC's file name without {@code .dat}, e.g. {@code wsinv}
 * @param source      e.g. {@code RFC 4475 §3.1.1.1}
 * @param title       the RFC's section title
 * @param expectation what a server must do with it
 * @param bytes       the message
 */
public record TortureMessage(String name, String source, String title, Expectation expectation, byte[] bytes) {

    public TortureMessage {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A response (status line) rather than a request. */
    public boolean isResponse() {
        return bytes.length >= 4 && new String(bytes, 0, 4, StandardCharsets.ISO_8859_1).equals("SIP/");
    }

    @Override
    public String toString() {
        return name + " (" + source + ", " + expectation + ")";
    }
}
