package io.siplane.gateway.sip;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Request;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import gov.nist.javax.sip.parser.StringMsgParser;
import io.siplane.gateway.routing.Flow;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.sip.Transport;

/**
 * Per-request work of the gateway's stateless forwarding besides choosing a replica: parsing the INVITE,
 * the deterministic branch of the forwarded copy (a SHA-256 of the client's branch), and the flow token of Path /
 * Record-Route (an HMAC-SHA256) written and checked.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ForwardingBenchmark {

    static final byte[] INVITE = ("INVITE sip:uas@siplane.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:7072;branch=z9hG4bK-4711-1-0\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"sipp caller\" <sip:caller@127.0.0.1:7072>;tag=4711SIPpTag001\r\n"
            + "To: <sip:uas@siplane.test>\r\n"
            + "Call-ID: 1-4711@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:caller@127.0.0.1:7072;transport=UDP>\r\n"
            + "Subject: anchor benchmark\r\n"
            + "User-Agent: sipp-anchor\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 129\r\n\r\n"
            + "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").getBytes(StandardCharsets.UTF_8);

    StringMsgParser parser = new StringMsgParser();
    Request invite;
    FlowTokens tokens = new FlowTokens("bench-flow-token-secret-0123456789".getBytes(StandardCharsets.UTF_8));
    Flow flow = new Flow(Transport.UDP, "127.0.0.1", 7070);
    String token;

    @Setup
    public void setUp() throws Exception {
        invite = (Request) parser.parseSIPMessage(INVITE, true, false, null);
        token = tokens.encode(flow);
    }

    @Benchmark
    public Object parseInvite() throws Exception {
        return parser.parseSIPMessage(INVITE, true, false, null);
    }

    @Benchmark
    public String branch() {
        return ViaBranches.forForwarding(invite);
    }

    @Benchmark
    public String flowTokenEncode() {
        return tokens.encode(flow);
    }

    @Benchmark
    public Object flowTokenDecode() {
        return tokens.decode(token);
    }
}
