package io.siplane.sip.parser;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.stack.StreamParseErrors;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;

/**
 * JAIN-SIP RI's parser with these repairs for malformed input:
 * <ul>
 * <li>Its parse errors carry the offending header text and a raw LF ({@code "CSeq: 1x REGISTER\nExpecting DIGIT"}),
 *     sometimes a Java array identity ({@code [C@1c91333d}), and the RI copies that message into the reason phrase
 *     of the 400 it sends back over UDP: a line break and attacker text in our status line. Errors leave here with a
 *     fixed text naming the header at most ({@code malformed CSeq}).</li>
 * <li>It reads every SIP version as 2.0 and keeps the first of repeated single-value header fields. Such requests
 *     get a {@link MessageDefect} (as the message's application data) that the dispatcher answers with 505 or 400.</li>
 * <li>It is lenient with numeric fields and URI hosts/ports ({@code Max-Forwards: -1}, {@code sip:host:99999999},
 *     {@code sip:2001:db8::10}): {@link StrictFieldCheck} gives such a request a 400 defect naming the field, and
 *     such a response a parse error, which drops it (a response is never answered).</li>
 * <li>On a TCP or TLS connection, an unparsable request made the RI close the connection without an answer, losing
 *     the answers still due to the requests before it: {@link StreamParseErrors} keeps it open and answers 400.</li>
 * </ul>
 */
final class GuardedMessageParser implements MessageParser {

    private static final Pattern HEADER_NAME = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9\\-]{0,31})\\s*:");

    private final MessageParser delegate;

    GuardedMessageParser(MessageParser delegate) {
        this.delegate = delegate;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] msgBytes, boolean readBody, boolean strict, ParseExceptionListener exhandler)
            throws ParseException {
        SIPMessage message;
        try {
            message = delegate.parseSIPMessage(msgBytes, readBody, strict, StreamParseErrors.keepingConnection(exhandler));
        } catch (ParseException e) {
            ParseException clean = new ParseException(describe(e), e.getErrorOffset());
            clean.initCause(e);
            StreamParseErrors.answerBadRequest(exhandler, msgBytes, clean);
            throw clean;
        }
        if (message instanceof SIPRequest && message.getApplicationData() == null) {
            String headers = headerSection(msgBytes);
            MessageDefect defect = checkVersion(headers);
            if (defect == null) {
                defect = checkRepeats(headers);
            }
            if (defect == null) {
                String field = StrictFieldCheck.firstDefect(headers, readBody ? bodyLength(msgBytes, headers) : -1);
                defect = field == null ? null : MessageDefect.badField(field);
            }
            if (defect != null) {
                message.setApplicationData(defect);
            }
        } else if (message != null && !(message instanceof SIPRequest)) {
            String headers = headerSection(msgBytes);
            String field = StrictFieldCheck.firstDefect(headers, readBody ? bodyLength(msgBytes, headers) : -1);
            if (field != null) {
                // a response is never answered (RFC 3261 §18.3: a malformed one is discarded): the stack drops it
                throw new ParseException("malformed response (" + field + ")", 0);
            }
        }
        return message;
    }

    /** The bytes after the header section and its empty line, when {@code msgBytes} holds the whole message. */
    private static int bodyLength(byte[] msgBytes, String headers) {
        int end = headers.length();
        int consumed = end;
        if (consumed < msgBytes.length && msgBytes[consumed] == '\r') {
            consumed++;
        }
        if (consumed < msgBytes.length && msgBytes[consumed] == '\n') {
            consumed++;
        }
        return Math.max(0, msgBytes.length - consumed);
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

    /**
     * The first single-value header field that appears twice, in one pass over the header lines without regular
     * expressions or per-line strings: this runs for every request the stack parses.
     */
    static MessageDefect checkRepeats(String headers) {
        int seen = 0;
        int length = headers.length();
        int start = headers.indexOf('\n') + 1; // the request line is not a header field
        while (start > 0 && start < length) {
            int newline = headers.indexOf('\n', start);
            int end = newline < 0 ? length : newline;
            char first = headers.charAt(start);
            if (first != ' ' && first != '\t' && first != '\r' && end > start) {
                int colon = headers.indexOf(':', start);
                if (colon > start && colon < end) {
                    int nameStart = start;
                    int nameEnd = colon;
                    while (nameStart < nameEnd && Character.isWhitespace(headers.charAt(nameStart))) {
                        nameStart++;
                    }
                    while (nameEnd > nameStart && Character.isWhitespace(headers.charAt(nameEnd - 1))) {
                        nameEnd--;
                    }
                    int field = singleValueField(headers, nameStart, nameEnd - nameStart);
                    if (field >= 0) {
                        if ((seen & (1 << field)) != 0) {
                            return MessageDefect.repeated(SINGLE_VALUE_FIELDS[field]);
                        }
                        seen |= 1 << field;
                    }
                }
            }
            start = end + 1;
        }
        return null;
    }

    /** Single-value header fields RFC 4475 §3.3.8/§3.3.9 test, by index; with compact forms (RFC 3261 §7.3.3). */
    private static final String[] SINGLE_VALUE_FIELDS = {"Call-ID", "CSeq", "From", "To", "Max-Forwards", "Content-Length"};

    private static int singleValueField(String text, int offset, int length) {
        switch (length) {
            case 1:
                return named(text, offset, "i") ? 0 : named(text, offset, "f") ? 2 : named(text, offset, "t") ? 3
                        : named(text, offset, "l") ? 5 : -1;
            case 2:
                return named(text, offset, "to") ? 3 : -1;
            case 4:
                return named(text, offset, "cseq") ? 1 : named(text, offset, "from") ? 2 : -1;
            case 7:
                return named(text, offset, "call-id") ? 0 : -1;
            case 12:
                return named(text, offset, "max-forwards") ? 4 : -1;
            case 14:
                return named(text, offset, "content-length") ? 5 : -1;
            default:
                return -1;
        }
    }

    /** {@code text} at {@code offset} spells {@code lowerName} in ASCII, letters in either case. */
    private static boolean named(String text, int offset, String lowerName) {
        for (int i = 0; i < lowerName.length(); i++) {
            char c = text.charAt(offset + i);
            char want = lowerName.charAt(i);
            boolean same = want >= 'a' && want <= 'z' ? (c == want || c == want - 32) : c == want;
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
