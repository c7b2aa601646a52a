package io.siplane.testsupport.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HostRewriterTest {

    static final Pattern OFF_MACHINE = Pattern.compile(
            "example\\.(com|net|org|edu)|examle\\.com|company\\.com|192\\.0\\.2\\.|255\\.255\\.255\\.255|135\\.180\\.|10\\.0\\.0\\.1|2001:db8|:5070|:5080|:5060");

    static java.util.List<TortureMessage> messages() {
        return TortureMessages.all();
    }

    @Test
    void theIndexListsThe49MessagesOfRfc4475AndThe12OfRfc5118() {
        assertThat(TortureMessages.rfc4475()).hasSize(49);
        assertThat(TortureMessages.rfc5118()).hasSize(12);
        assertThat(TortureMessages.named("wsinv").bytes()).hasSize(1001);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void noHeaderNamesAnythingOffTheMachineAfterRewriting(TortureMessage message) {
        String rewritten = headerSections(HostRewriter.rewrite(message.bytes(), "torture.test", "UDP", 40000));
        Matcher m = OFF_MACHINE.matcher(rewritten);
        assertThat(m.find() ? m.group() + " in " + rewritten : "").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void bodiesAreKeptByteForByte(TortureMessage message) {
        byte[] original = message.bytes();
        byte[] rewritten = HostRewriter.rewrite(original, "torture.test", "TCP", 40000);
        assertThat(body(rewritten)).isEqualTo(body(original));
    }

    @Test
    void theTopmostViaNamesTheRealTransportAndTheSendersPortEvenWhenFolded() {
        String wsinv = new String(HostRewriter.rewrite(TortureMessages.named("wsinv").bytes(), "torture.test", "TCP", 40001),
                StandardCharsets.ISO_8859_1);
        assertThat(wsinv).contains("Via  : SIP  /   2.0\r\n /TCP\r\n    127.0.0.1:40001;branch=390skdjuw")
                .startsWith("INVITE sip:vivekg@torture.test;unknownparam SIP/2.0\r\n");
        String transports = new String(HostRewriter.rewrite(TortureMessages.named("transports").bytes(), "torture.test", "TCP", 40001),
                StandardCharsets.ISO_8859_1);
        assertThat(transports).contains("Via: SIP/2.0/TCP 127.0.0.1:40001;branch=z9hG4bKkdjuw\r\n")
                .contains("Via: SIP/2.0/SCTP 127.0.0.1:40001;branch=z9hG4bKklasjdhf\r\n");
    }

    @Test
    void ipv6ReferencesBecomeLoopbackAndAnInvalidOneStaysInvalid() {
        assertThat(rewritten("ipv4-mapped-ipv6")).contains("Via: SIP/2.0/UDP [::1]:40002;branch=z9hG4bKbh19")
                .contains("<sip:ted@[::ffff:127.0.0.1]>");
        assertThat(rewritten("ipv6-bug-abnf-3-colons")).startsWith("OPTIONS sip:user@[:::127.0.0.1] SIP/2.0");
        assertThat(rewritten("ipv6-correct-abnf-2-colons")).startsWith("OPTIONS sip:user@[::ffff:127.0.0.1] SIP/2.0");
        assertThat(rewritten("ipv6-bad")).startsWith("REGISTER sip:::1 SIP/2.0");
        assertThat(rewritten("port-unambiguous")).startsWith("REGISTER sip:[::1]:40002 SIP/2.0");
        assertThat(rewritten("via-received-param-no-delim")).contains(";received=::1;");
    }

    @Test
    void routesPointAtTheSenderAndBranchesBecomeUniqueExceptABareMagicCookie() {
        String wsinv = new String(HostRewriter.rewrite(TortureMessages.named("wsinv").bytes(), "torture.test", "UDP", 40003, "x1"),
                StandardCharsets.ISO_8859_1);
        assertThat(wsinv).contains("Route:\r\n <sip:127.0.0.1:40003;lr;unknownwith=value;unknown-no-value>");
        String mpart = new String(HostRewriter.rewrite(TortureMessages.named("mpart01").bytes(), "torture.test", "UDP", 40003, "x1"),
                StandardCharsets.ISO_8859_1);
        assertThat(mpart).contains("Route: <sip:127.0.0.1:40003>").contains("branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543--x1;");
        assertThat(rewritten("inv2543")).contains("maddr=127.0.0.1>");
        String badbranch = new String(HostRewriter.rewrite(TortureMessages.named("badbranch").bytes(), "torture.test", "UDP", 40003, "x1"),
                StandardCharsets.ISO_8859_1);
        assertThat(badbranch).contains(";branch=z9hG4bK\r\n");
    }

    @Test
    void theTrailingRequestOfAnOverlongDatagramIsRewrittenToo() {
        assertThat(rewritten("dblreq")).contains("INVITE sip:joe@torture.test SIP/2.0").doesNotContain("Via: SIP/2.0/UDP 192.0.2");
    }

    private static String rewritten(String name) {
        return new String(HostRewriter.rewrite(TortureMessages.named(name).bytes(), "torture.test", "UDP", 40002),
                StandardCharsets.ISO_8859_1);
    }

    private static String headerSections(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        StringBuilder headers = new StringBuilder();
        for (String part : text.split("\r\n\r\n")) {
            if (!part.startsWith("v=0") && !part.startsWith("--") && !part.startsWith("<")) {
                headers.append(part).append("\r\n\r\n");
            }
        }
        return headers.toString();
    }

    private static String body(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String body = end < 0 ? "" : text.substring(end + 4);
        // keep only SDP and other non-SIP body lines: the trailing request of dblreq is a message, rewritten on purpose
        return body.startsWith("INVITE ") || body.startsWith("\r\nINVITE ") ? "" : body;
    }
}
