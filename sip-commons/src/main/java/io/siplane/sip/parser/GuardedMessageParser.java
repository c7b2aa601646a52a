package io.siplane.sip.parser;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;

/**
 * JAIN-SIP RI's parser with two repairs for malformed input:
 * <ul>
 * <li>Its parse errors carry the offending header text and a raw LF ({@code "CSeq: 1x REGISTER\nExpecting DIGIT"}),
 *     sometimes a Java array identity ({@code [C@1c91333d}), and the RI copies that message into the reason phrase
 *     of the 400 it sends back over UDP: a line break and attacker text in our status line. Errors leave here with a
 *     fixed text naming the header at most ({@code malformed CSeq}).</li>
 * <li>It reads every SIP version as 2.0 and keeps the first of repeated single-value header fields. Such requests
 *     get a {@link MessageDefect} (as the message's application data) that the dispatcher answers with 505 or 400.</li>
 * </ul>
 */
final class GuardedMessageParser implements MessageParser {

    private static final Pattern HEADER_NAME = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9\\-]{0,31})\\s*:");
    /** Single-value header fields RFC 4475 §3.3.8/§3.3.9 test, with their compact forms (RFC 3261 §7.3.3). */
    private static final Map<String, String> SINGLE_VALUE = Map.ofEntries(
            Map.entry("call-id", "Call-ID"), Map.entry("i", "Call-ID"),
            Map.entry("cseq", "CSeq"),
            Map.entry("from", "From"), Map.entry("f", "From"),
            Map.entry("to", "To"), Map.entry("t", "To"),
            Map.entry("max-forwards", "Max-Forwards"),
            Map.entry("content-length", "Content-Length"), Map.entry("l", "Content-Length"));

    private final MessageParser delegate;

    GuardedMessageParser(MessageParser delegate) {
        this.delegate = delegate;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] msgBytes, boolean readBody, boolean strict, ParseExceptionListener exhandler)
            throws ParseException {
        SIPMessage message;
        try {
            message = delegate.parseSIPMessage(msgBytes, readBody, strict, exhandler);
        } catch (ParseException e) {
            ParseException clean = new ParseException(describe(e), e.getErrorOffset());
            clean.initCause(e);
            throw clean;
        }
        if (message instanceof SIPRequest && message.getApplicationData() == null) {
            String headers = headerSection(msgBytes);
            MessageDefect defect = checkVersion(headers);
            if (defect == null) {
                defect = checkRepeats(headers);
            }
            if (defect != null) {
                message.setApplicationData(defect);
            }
        }
        return message;
    }

    /** {@code malformed <header>} or {@code malformed message}: never the offending text itself. */
    static String describe(ParseException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        Matcher name = HEADER_NAME.matcher(text);
        return name.find() ? "malformed " + name.group(1) : "malformed message";
    }

    private static String headerSection(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\n\r\n");
        int end2 = text.indexOf("\n\n");
        int cut = end < 0 ? end2 : end2 < 0 ? end : Math.min(end, end2);
        return cut < 0 ? text : text.substring(0, cut + 1);
    }

    private static MessageDefect checkVersion(String headers) {
        String firstLine = headers.stripLeading();
        int eol = firstLine.indexOf('\n');
        firstLine = (eol < 0 ? firstLine : firstLine.substring(0, eol)).strip();
        int lastSpace = Math.max(firstLine.lastIndexOf(' '), firstLine.lastIndexOf('\t'));
        String version = lastSpace < 0 ? firstLine : firstLine.substring(lastSpace + 1);
        return version.equalsIgnoreCase("SIP/2.0") ? null : MessageDefect.versionNotSupported();
    }

    private static MessageDefect checkRepeats(String headers) {
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = headers.split("\r?\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue; // a continuation of the previous field
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String canonical = SINGLE_VALUE.get(line.substring(0, colon).strip().toLowerCase(Locale.ROOT));
            if (canonical != null && seen.merge(canonical, 1, Integer::sum) > 1) {
                return MessageDefect.repeated(canonical);
            }
        }
        return null;
    }
}
