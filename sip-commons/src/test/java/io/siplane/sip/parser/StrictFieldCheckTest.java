package io.siplane.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;

import org.junit.jupiter.api.Test;

import gov.nist.javax.sip.parser.StringMsgParser;

/** The parser guard on responses and on what only a datagram shows (its body length); requests: {@link StrictFieldsTest}. */
class StrictFieldCheckTest {

    private static final String RESPONSE = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1;rport=%s\r\n"
            + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n"
            + "Content-Length: 0\r\n\r\n";

    private final GuardedMessageParser parser = new GuardedMessageParser(new StringMsgParser());

    @Test
    void aResponseWithAFieldOutOfRangeIsDroppedNotAnswered() {
        // RFC 3261 §18.3: a malformed response is discarded; a parse error is how the stack drops one (never a 400)
        assertThatThrownBy(() -> parse(RESPONSE.formatted("99999"), true))
                .isInstanceOf(ParseException.class).hasMessage("malformed response (Bad rport in Via)");
    }

    @Test
    void aWellFormedResponseParses() throws ParseException {
        assertThat(parse(RESPONSE.formatted("5060"), true)).isNotNull();
    }

    @Test
    void aDatagramShorterThanItsContentLengthIsNamed() {
        String request = "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-2\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c2\r\nCSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\nContent-Length: %d\r\n\r\nhello";

        assertThat(StrictFieldCheck.firstDefect(request.formatted(5).substring(0, request.formatted(5).indexOf("\r\n\r\n") + 2), 5))
                .isNull();
        assertThat(StrictFieldCheck.firstDefect(request.formatted(9).substring(0, request.formatted(9).indexOf("\r\n\r\n") + 2), 5))
                .isEqualTo("Bad Content-Length");
    }

    private Object parse(String text, boolean datagram) throws ParseException {
        return parser.parseSIPMessage(text.getBytes(StandardCharsets.US_ASCII), datagram, false, null);
    }
}
