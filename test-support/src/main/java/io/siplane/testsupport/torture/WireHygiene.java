package io.siplane.testsupport.torture;

import java.util.Optional;

/**
 * Checks every message a server sends while under attack: nothing that leaks internals ({@link WireLeaks}), and a
 * header section without bare CR or LF (a reflected attacker string that breaks a line would let the attacker add
 * header fields to the server's response).
 */
public final class WireHygiene {

    private WireHygiene() {
    }

    /** What is wrong with {@code packet}, if anything. */
    public static Optional<String> problem(SipPacket packet) {
        Optional<String> leak = WireLeaks.find(packet);
        if (leak.isPresent()) {
            return Optional.of("leaks \"" + leak.get() + "\" to the wire in " + packet.startLine());
        }
        String text = packet.text();
        int headerEnd = text.indexOf("\r\n\r\n");
        String headers = headerEnd < 0 ? text : text.substring(0, headerEnd + 2);
        if (isStackBadRequest(packet)) {
            // only the status line's text is ours: the rest, line ends included, is the request's own lines
            return Optional.empty();
        }
        for (int i = 0; i < headers.length(); i++) {
            char c = headers.charAt(i);
            boolean bareLf = c == '\n' && (i == 0 || headers.charAt(i - 1) != '\r');
            boolean bareCr = c == '\r' && (i + 1 >= headers.length() || headers.charAt(i + 1) != '\n');
            if (bareLf || bareCr) {
                int from = Math.max(0, i - 60);
                return Optional.of("bare " + (bareLf ? "LF" : "CR") + " in the header section of " + packet.startLine()
                        + " near: " + printable(headers.substring(from, Math.min(headers.length(), i + 40))));
            }
        }
        return Optional.empty();
    }

    /**
     * The 400 JAIN-SIP RI builds by itself for a datagram it cannot parse: it copies the
     * request's Via, CSeq, Call-ID, From and To lines byte for byte, with the two bytes before each (normally CRLF),
     * so a request with bare CRs or LFs gets them back. Known RI behaviour, recorded in RELIABILITY.md: only the text
     * of its status line is ours (see io.siplane.sip.parser in sip-commons) and only leaks are checked in it.
     */
    public static boolean isStackBadRequest(SipPacket packet) {
        // the reason text comes from io.siplane.sip.parser.GuardedMessageParser, the rest from the RI's createBadReqRes
        return packet.text().startsWith("SIP/2.0 400 Bad Request (malformed ");
    }

    /** Control characters as \xNN: for failure messages. */
    public static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
