package io.siplane.testsupport.torture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cuts a TCP byte stream into SIP messages (RFC 3261 §18.3: Content-Length frames the body; none means 0). */
final class SipStreamFramer {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:content-length|l)[ \\t]*:[ \\t]*([0-9]{1,9})");
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Adds received bytes; returns the messages completed by them. */
    List<SipPacket> add(byte[] data, int length) {
        pending.write(data, 0, length);
        List<SipPacket> out = new ArrayList<>();
        while (true) {
            byte[] buffer = pending.toByteArray();
            int start = 0;
            while (start < buffer.length && (buffer[start] == '\r' || buffer[start] == '\n')) {
                start++; // keep-alive CRLFs between messages
            }
            String text = new String(buffer, start, buffer.length - start, StandardCharsets.ISO_8859_1);
            int headerEnd = text.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                reset(buffer, start);
                return out;
            }
            Matcher cl = CONTENT_LENGTH.matcher(text.substring(0, headerEnd));
            int bodyLength = cl.find() ? Integer.parseInt(cl.group(1)) : 0;
            int end = start + headerEnd + 4 + bodyLength;
            if (end > buffer.length) {
                reset(buffer, start);
                return out;
            }
            out.add(new SipPacket(Arrays.copyOfRange(buffer, start, end)));
            reset(buffer, end);
        }
    }

    /** Whatever is left unframed (a partial message when the connection closed). */
    byte[] remainder() {
        return pending.toByteArray();
    }

    private void reset(byte[] buffer, int from) {
        pending.reset();
        pending.write(buffer, from, buffer.length - from);
    }
}
