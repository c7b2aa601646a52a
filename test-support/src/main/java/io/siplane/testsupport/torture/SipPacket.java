package io.siplane.testsupport.torture;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP message as it came off the wire, looked at without a SIP parser (the point is to see exactly what the server
 * sent, malformed or not).
 *
 * @param bytes what was received
 */
public record SipPacket(byte[] bytes) {

    private static final Pattern STATUS_LINE = Pattern.compile("^SIP/2\\.0 ([0-9]{3})(?: |\\r|\\n|$)");

    public SipPacket {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The message as ISO-8859-1 text: one char per byte. */
    public String text() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public String startLine() {
        String text = text();
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    /** The status code of a response; empty for a request (or garbage). */
    public Optional<Integer> status() {
        Matcher m = STATUS_LINE.matcher(text());
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    public boolean isResponse() {
        return status().isPresent();
    }

    public boolean isFinalResponse() {
        return status().filter(s -> s >= 200).isPresent();
    }

    /** A request relayed to the test's address (by a proxy): the server processed the message. */
    public boolean isRequest() {
        String line = startLine();
        return !isResponse() && line.toUpperCase(Locale.ROOT).endsWith(" SIP/2.0");
    }

    /** The first value of a header (long name, case-insensitive), without parsing it. */
    public Optional<String> header(String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + "[ \\t]*:[ \\t]*(.*?)\\r?$").matcher(text());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public String toString() {
        return startLine();
    }
}
