package io.siplane.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepeatedHeaderCheckTest {

    private static final String REQUEST_LINE = "INVITE sip:bob@example.com SIP/2.0\r\n";

    @Test
    void aWellFormedHeaderSectionHasNoDefect() {
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP g\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n")).isNull();
    }

    @Test
    void aRepeatedSingleValueFieldIsNamedCanonically() {
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "CSeq: 1 INVITE\r\ncseq: 2 INVITE\r\n"))
                .isEqualTo(MessageDefect.repeated("CSeq"));
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "Max-Forwards: 70\r\nMAX-FORWARDS : 69\r\n"))
                .isEqualTo(MessageDefect.repeated("Max-Forwards"));
    }

    @Test
    void compactAndLongFormsCountAsTheSameField() {
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "Call-ID: a\r\ni: b\r\n")).isEqualTo(MessageDefect.repeated("Call-ID"));
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "l: 0\r\nContent-Length: 0\r\n"))
                .isEqualTo(MessageDefect.repeated("Content-Length"));
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "f: <sip:a@b>\nFrom: <sip:c@d>\n")).isEqualTo(MessageDefect.repeated("From"));
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "t: <sip:a@b>\r\n  To: <sip:c@d>\r\nTo: <sip:e@f>\r\n"))
                .isEqualTo(MessageDefect.repeated("To"));
    }

    @Test
    void continuationLinesAndLookAlikeNamesAreNotFields() {
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "Subject: x\r\n To: folded\r\n\tTo: folded\r\nTo: <sip:a@b>\r\n"))
                .isNull();
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "CSeq: 1 INVITE\r\nCSeqs: 2\r\nX-CSeq: 3\r\nC\u017FEQ: 4\r\n")).isNull();
        assertThat(GuardedMessageParser.checkRepeats(REQUEST_LINE + "Call-ID: a\r\nCall\rID: b\r\n")).isNull();
    }

    @Test
    void theRequestLineIsNotAField() {
        assertThat(GuardedMessageParser.checkRepeats("To: x SIP/2.0\r\nTo: <sip:a@b>\r\n")).isNull();
    }
}
