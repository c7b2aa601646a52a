package io.siplane.testsupport.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.siplane.testsupport.torture.Expectation;
import io.siplane.testsupport.torture.HostRewriter;
import io.siplane.testsupport.torture.TortureMessage;
import io.siplane.testsupport.torture.TortureMessages;

/**
 * Valid messages to mutate: one of each method a SIP service meets (with the headers its code reads: Contact with
 * expires and q, digest credentials, SDP, Event, Proxy-Require...) and the well-formed RFC 4475/5118 messages.
 *
 * <p>They are templates: {@link #REPLY_PORT} stands for the fuzzer's own port, {@link #SERVER_PORT} for the service's
 * and {@link #ID} for a value unique to each try (branch, tag, Call-ID), filled in when sent.
 */
public final class FuzzSeeds {

    public static final String REPLY_PORT = "59999";
    public static final String SERVER_PORT = "59998";
    public static final String ID = "FUZZID";

    /** A named template. */
    public record Seed(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private FuzzSeeds() {
    }

    public static List<Seed> standard(String domain) {
        List<Seed> seeds = new ArrayList<>();
        String via = "Via: SIP/2.0/UDP 127.0.0.1:" + REPLY_PORT + ";branch=z9hG4bK-" + ID + ";rport\r\n";
        String dialog = "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@" + domain + ">;tag=" + ID + "\r\nCall-ID: " + ID + "@127.0.0.1\r\n";
        String contact = "Contact: <sip:alice@127.0.0.1:" + REPLY_PORT + ";transport=udp>;expires=600;q=0.5\r\n";
        String sdp = "v=0\r\no=alice 2890844526 2890844526 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 49170 RTP/AVP 0 8 97\r\na=rtpmap:0 PCMU/8000\r\n";
        seeds.add(seed("REGISTER", "REGISTER sip:" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:alice@" + domain + ">\r\nCSeq: 1 REGISTER\r\n" + contact + "Expires: 600\r\nSupported: path, outbound\r\n"
                + "User-Agent: siplane-fuzz\r\n", ""));
        seeds.add(seed("REGISTER-digest", "REGISTER sip:" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:alice@" + domain + ">\r\nCSeq: 2 REGISTER\r\n" + contact
                + "Authorization: Digest username=\"alice\", realm=\"" + domain + "\", nonce=\"MTcwMDAwMDAwMDAwMDpkZWFkYmVlZg\", "
                + "uri=\"sip:" + domain + "\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, qop=auth, "
                + "nc=00000001, cnonce=\"0a4f113b\", opaque=\"\"\r\nPath: <sip:127.0.0.1:" + REPLY_PORT + ";lr>\r\n", ""));
        seeds.add(seed("REGISTER-remove-all", "REGISTER sip:" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:alice@" + domain + ">\r\nCSeq: 3 REGISTER\r\nContact: *\r\nExpires: 0\r\n", ""));
        seeds.add(seed("INVITE", "INVITE sip:bob@" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: \"Bob\" <sip:bob@" + domain + ">\r\nCSeq: 1 INVITE\r\n" + contact
                + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE\r\nSupported: timer, 100rel\r\nSession-Expires: 1800\r\n"
                + "Content-Type: application/sdp\r\n", sdp));
        seeds.add(seed("INVITE-credentials", "INVITE sip:bob@" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:bob@" + domain + ">\r\nCSeq: 2 INVITE\r\n" + contact
                + "Proxy-Authorization: Digest username=\"alice\", realm=\"" + domain + "\", nonce=\"bm9uY2U\", uri=\"sip:bob@"
                + domain + "\", response=\"00000000000000000000000000000000\", algorithm=SHA-256, qop=auth, nc=00000001, "
                + "cnonce=\"abc\"\r\nContent-Type: application/sdp\r\n", sdp));
        seeds.add(seed("OPTIONS", "OPTIONS sip:127.0.0.1:" + SERVER_PORT + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:127.0.0.1:" + SERVER_PORT + ">\r\nCSeq: 1 OPTIONS\r\nAccept: application/sdp\r\n", ""));
        seeds.add(seed("MESSAGE", "MESSAGE sip:bob@" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:bob@" + domain + ">\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain;charset=utf-8\r\n",
                "Hello Bob, \u00e7a va?"));
        seeds.add(seed("BYE", "BYE sip:bob@127.0.0.1:" + REPLY_PORT + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:bob@" + domain + ">;tag=" + ID + "b\r\nCSeq: 2 BYE\r\n", ""));
        seeds.add(seed("CANCEL", "CANCEL sip:bob@" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:bob@" + domain + ">\r\nCSeq: 1 CANCEL\r\n", ""));
        seeds.add(seed("ACK", "ACK sip:bob@" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:bob@" + domain + ">;tag=" + ID + "b\r\nCSeq: 1 ACK\r\n", ""));
        seeds.add(seed("SUBSCRIBE", "SUBSCRIBE sip:bob@" + domain + " SIP/2.0\r\n" + via + dialog
                + "To: <sip:bob@" + domain + ">\r\nCSeq: 1 SUBSCRIBE\r\nEvent: presence\r\nAccept: application/pidf+xml\r\n"
                + "Expires: 3600\r\n" + contact + "Proxy-Require: foo\r\nRequire: bar\r\n", ""));
        seeds.add(seed("response-200", "SIP/2.0 200 OK\r\n" + via + dialog + "To: <sip:bob@" + domain + ">;tag=" + ID
                + "b\r\nCSeq: 1 INVITE\r\n" + contact + "Content-Type: application/sdp\r\n", sdp));
        for (TortureMessage m : TortureMessages.all()) {
            if (m.expectation().kind() == Expectation.Kind.PROCESS || m.expectation().kind() == Expectation.Kind.LENIENT) {
                seeds.add(new Seed(m.name(), HostRewriter.rewrite(m.bytes(), domain, "UDP", Integer.parseInt(REPLY_PORT), ID)));
            }
        }
        return List.copyOf(seeds);
    }

    private static Seed seed(String name, String headers, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String message = headers + "Content-Length: " + b.length + "\r\n\r\n";
        byte[] head = message.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + b.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(b, 0, all, head.length, b.length);
        return new Seed(name, all);
    }
}
