package io.siplane.sip.netty;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The 400 for a request that cannot be parsed (or framed), built from its raw header lines as the RI's transports do
 * (RFC 3261 §8.2.2 with whatever of the request can be copied): every Via, then CSeq, Call-ID, From and To; a To-tag
 * added when missing. No body (the RI echoed the request as {@code message/sipfrag}, attacker text included), and
 * nothing copied that holds a control character. A request whose Via, CSeq, Call-ID, From or To cannot be found
 * gets no answer: a response would not reach its client anyway.
 */
final class BadRequest {

    private BadRequest() {
    }

    /** The 400 with {@code reason} as its phrase, or {@code null} for a response, an ACK or a request too broken to answer. */
    static byte[] answer(byte[] raw, String reason) {
        String text = new String(raw, StandardCharsets.ISO_8859_1).stripLeading();
        if (text.isEmpty() || text.startsWith("SIP/") || text.startsWith("ACK ")) {
            return null;
        }
        int headersEnd = text.indexOf("\n\r\n");
        int altEnd = text.indexOf("\n\n");
        int end = headersEnd < 0 ? altEnd : altEnd < 0 ? headersEnd : Math.min(headersEnd, altEnd);
        String[] lines = (end < 0 ? text : text.substring(0, end + 1)).split("\r?\n");
        StringBuilder vias = new StringBuilder();
        String cseq = null;
        String callId = null;
        String from = null;
        String to = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || hasControl(line)) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "via", "v" -> vias.append("Via: ").append(value).append("\r\n");
                case "cseq" -> cseq = cseq == null ? value : cseq;
                case "call-id", "i" -> callId = callId == null ? value : callId;
                case "from", "f" -> from = from == null ? value : from;
                case "to", "t" -> to = to == null ? value : to;
                default -> {
                }
            }
        }
        if (vias.isEmpty() || cseq == null || callId == null || from == null || to == null) {
            return null;
        }
        String toTagged = to.toLowerCase(Locale.ROOT).contains(";tag=") ? to : to + ";tag=badreq";
        String answer = "SIP/2.0 400 " + reason + "\r\n" + vias + "To: " + toTagged + "\r\nFrom: " + from + "\r\nCall-ID: "
                + callId + "\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n\r\n";
        return answer.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean hasControl(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
