package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.parser.ParseExceptionListener;

/**
 * Parse errors on a TCP or TLS connection (Siplane; in the RI's package for the channel's 400 builder and send).
 *
 * <p>The RI's stream channels close the connection when a mandatory header or the start line of a message does not
 * parse, without an answer. The connection is the only way back to the client for the answers to the requests that
 * came before on it (RFC 3261 §18.2.2): two requests and some trailing bytes in one write (RFC 4475 §3.1.1.8) lost
 * both answers. Here the connection stays open, the malformed request gets the same automatic 400 as over UDP, and
 * the stream parser goes on with the next message; the idle and message timeouts still bound the connection.
 */
public final class StreamParseErrors {

    /** The header classes whose parse errors make the RI's stream channels close the connection. */
    private static final Set<Class<?>> MANDATORY = Set.of(From.class, To.class, CSeq.class, Via.class, CallID.class,
            ContentLength.class, RequestLine.class, StatusLine.class);

    private StreamParseErrors() {
    }

    /**
     * Whether a parse error in a header of {@code headerClass} makes the whole message unparsable (the RI's UDP and
     * stream channels both treat these so); an error elsewhere only leaves that header unparsed.
     */
    public static boolean mandatory(Class<?> headerClass) {
        return headerClass != null && MANDATORY.contains(headerClass);
    }

    /** The listener to parse with: for a stream channel, one that rejects the message without closing the connection. */
    public static ParseExceptionListener keepingConnection(ParseExceptionListener listener) {
        if (!(listener instanceof ConnectionOrientedMessageChannel)) {
            return listener;
        }
        return (ex, message, headerClass, header, text) -> {
            if (headerClass != null && MANDATORY.contains(headerClass)) {
                throw ex;
            }
            listener.handleException(ex, message, headerClass, header, text);
        };
    }

    /**
     * After a parse error on a stream channel: the RI's automatic 400 (as over UDP, without its sipfrag body) with
     * {@code error}'s text as its reason, for a request other than ACK whose Via, CSeq, Call-ID, From and To can be copied.
     */
    public static void answerBadRequest(ParseExceptionListener listener, byte[] message, ParseException error) {
        if (!(listener instanceof ConnectionOrientedMessageChannel channel)) {
            return;
        }
        String text = new String(message, StandardCharsets.UTF_8).stripLeading();
        if (text.startsWith("SIP/") || text.startsWith("ACK ")) {
            return;
        }
        // the stream parser hands over its lines ending in LF alone; the RI's builder copies headers up to CRLF
        String badRequest = channel.createBadReqRes(text.replace("\r\n", "\n").replace("\n", "\r\n"), error);
        if (badRequest == null) {
            return;
        }
        byte[] bytes = withoutBody(badRequest).getBytes(StandardCharsets.UTF_8);
        try {
            if (channel.isCached || channel.mySock == null) {
                channel.sendMessage(bytes, false);
            } else {
                // no message processed on this connection yet: the RI's send path does not know the socket, and
                // nothing else writes to it
                OutputStream out = channel.mySock.getOutputStream();
                out.write(bytes);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client is gone: nothing to answer
        }
    }

    /**
     * The builder's status line and copied headers, without its {@code message/sipfrag} body: it writes an empty line
     * before its own Content-Type, which on a stream would make the rest of its answer a second, broken message.
     */
    static String withoutBody(String badRequest) {
        StringBuilder head = new StringBuilder(badRequest.length());
        for (String line : badRequest.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-type") || lower.startsWith("content-length")) {
                break;
            }
            head.append(line).append("\r\n");
        }
        return head.append("Content-Length: 0\r\n\r\n").toString();
    }
}
