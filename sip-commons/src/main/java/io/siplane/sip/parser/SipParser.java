package io.siplane.sip.parser;

import java.text.ParseException;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.StreamParseErrors;

/**
 * The RI's parser behind {@link GuardedMessageParser}, for a transport of our own (the Netty engine) that hands over
 * one whole message at a time (a datagram, or a message its stream decoder framed). Same guards as inside the RI:
 * a defective request comes back with its {@link MessageDefect}, a malformed response or an unparsable request
 * throws with a clean reason ({@code malformed CSeq}) that may go into a 400's reason phrase.
 *
 * <p>Thread-safe: {@link StringMsgParser} keeps no state between messages.
 */
public final class SipParser {

    private static final GuardedMessageParser PARSER = new GuardedMessageParser(new StringMsgParser());

    /**
     * As the RI's UDP channel does: an error in a header every message needs (From, To, Call-ID, CSeq, Via,
     * Content-Length, the start line) fails the message; an error elsewhere keeps that header as unparsed text.
     */
    private static final ParseExceptionListener LIKE_THE_RI = (ex, message, headerClass, header, text) -> {
        if (StreamParseErrors.mandatory(headerClass)) {
            throw ex;
        }
        message.addUnparsed(header);
    };

    private SipParser() {
    }

    /**
     * {@code message} (start line, headers, empty line and the whole body) as a request or a response.
     *
     * @throws ParseException with a reason fit for a status line, when the message cannot be used
     */
    public static SIPMessage parse(byte[] message) throws ParseException {
        SIPMessage parsed = PARSER.parseSIPMessage(message, true, false, LIKE_THE_RI);
        if (parsed == null) {
            throw new ParseException("malformed message", 0);
        }
        return parsed;
    }
}
