package io.siplane.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.siplane.sip.RunningEndpoint;

import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.HostRewriter;
import io.siplane.testsupport.torture.RawSipClient;
import io.siplane.testsupport.torture.SipPacket;
import io.siplane.testsupport.torture.TortureMessages;
import io.siplane.testsupport.torture.WireHygiene;

/** RFC 4475 messages that JAIN-SIP RI alone mishandles, against a bare endpoint that answers 200 to whatever it is given. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {

    final int PORT = SipPorts.freeUdpAndTcpPort();
    private static final java.util.concurrent.atomic.AtomicInteger SENDS = new java.util.concurrent.atomic.AtomicInteger();
    RunningEndpoint endpoint;

    @BeforeAll
    void start() {
        endpoint = startEndpoint();
    }

    /** The endpoint under test, on the engine a subclass picks. */
    RunningEndpoint startEndpoint() {
        return RunningEndpoint.start(PORT, "OPTIONS,INVITE,NEWMETHOD", "sip.max-message-size=8192");
    }

    @AfterAll
    void stop() {
        endpoint.close();
    }

    @Test
    void theAutomatic400ForAMalformedDatagramNamesTheHeaderAtMostWithoutLineBreaksOrRequestText() {
        Map<String, String> headerOf = Map.of("ncl", "Content-Length", "scalar02", "CSeq", "badinv01", "message",
                "lwsruri", "message", "ltgtruri", "message");
        headerOf.forEach((name, header) -> {
            Optional<SipPacket> answer = send(name, "UDP");

            assertThat(answer).as("%s answered", name).isPresent();
            assertThat(answer.get().startLine()).isEqualTo("SIP/2.0 400 Bad Request (malformed " + header + ")");
            assertThat(WireHygiene.problem(answer.get())).as(name).isEmpty();
        });
    }

    @Test
    void requestsTheStackParsesAlthoughMalformedAreRejectedBeforeAnyHandler() {
        Map<String, Integer> statusOf = Map.of("badvers", 505, "multi01", 400, "mcl01", 400);
        statusOf.forEach((name, status) -> {
            for (String transport : List.of("UDP", "TCP")) {
                Optional<SipPacket> answer = send(name, transport);

                assertThat(answer).as("%s over %s answered", name, transport).isPresent();
                assertThat(answer.get().status()).as("%s over %s", name, transport).contains(status);
                assertThat(WireHygiene.problem(answer.get())).isEmpty();
            }
        });
    }

    @Test
    void aMalformedRequestOverTcpGets400AndTheConnectionStaysOpenForTheNextRequest() {
        // RFC 3261 §18.2.2: the connection is the way back for the answers to everything sent on it; the RI closed it
        // on an unparsable CSeq (no answer) and lost the answer to the request behind it in the same write
        RawSipClient.Exchange exchange = RawSipClient.loopback(PORT).tcp(p -> {
            String bad = io.siplane.testsupport.torture.Liveness.optionsText("TCP", PORT, p, "example.com", "bad-" + System.nanoTime())
                    .replace("CSeq: 1 OPTIONS", "CSeq: 1x OPTIONS");
            String good = io.siplane.testsupport.torture.Liveness.optionsText("TCP", PORT, p, "example.com", "good-" + System.nanoTime());
            return (bad + "garbage\r\n\r\n" + good).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }, Duration.ofSeconds(5), r -> r.stream().filter(SipPacket::isFinalResponse).count() >= 2);

        assertThat(exchange.received()).extracting(SipPacket::startLine)
                .containsExactlyInAnyOrder("SIP/2.0 400 Bad Request (malformed CSeq)", "SIP/2.0 200 OK");
        assertThat(exchange.received()).allSatisfy(p -> assertThat(WireHygiene.problem(p)).isEmpty());
    }

    @Test
    void aDatagramLongerThanTheMaximumMessageSizeIsDroppedNotCutShortAndProcessed() {
        RawSipClient client = RawSipClient.loopback(PORT);
        for (int size : new int[] {8192, 8193}) {
            RawSipClient.Exchange exchange = client.udp(p -> padded(p, size), Duration.ofSeconds(size == 8192 ? 5 : 2),
                    r -> r.stream().anyMatch(SipPacket::isFinalResponse));
            // the last byte of 8193 is the message's final LF: cut there, the rest would parse as a whole message
            assertThat(exchange.received()).as("answers to %d bytes", size).hasSize(size == 8192 ? 1 : 0);
        }
    }

    private byte[] padded(int localPort, int size) {
        String base = io.siplane.testsupport.torture.Liveness.optionsText("UDP", PORT, localPort, "example.com",
                "pad-" + size + "-" + System.nanoTime());
        String padding = "X-Pad: " + "p".repeat(size - base.length() - "X-Pad: \r\n".length()) + "\r\n";
        return (base.substring(0, base.length() - 2) + padding + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void wellFormedTortureMessagesStillReachTheHandler() {
        for (String name : List.of("lwsdisp", "intmeth", "longreq", "esc01", "transports")) {
            for (String transport : List.of("UDP", "TCP")) {
                assertThat(send(name, transport).flatMap(SipPacket::status)).as("%s over %s", name, transport)
                        .hasValueSatisfying(s -> assertThat(s).isIn(200, 405));
            }
        }
    }

    /**
     * The RFC messages share a few branch values and the RI drops a request whose branch it is still finishing: each
     * send gets a branch of its own (a pause between sends was not always long enough on a loaded machine).
     */
    private Optional<SipPacket> send(String name, String transport) {
        RawSipClient client = RawSipClient.loopback(PORT);
        byte[] message = TortureMessages.named(name).bytes();
        String branch = name + "-" + transport + "-" + SENDS.incrementAndGet();
        RawSipClient.Exchange exchange = "TCP".equals(transport)
                ? client.tcp(p -> HostRewriter.rewrite(message, "example.com", "TCP", p, branch), Duration.ofSeconds(5),
                        r -> r.stream().anyMatch(SipPacket::isFinalResponse))
                : client.udp(p -> HostRewriter.rewrite(message, "example.com", "UDP", p, branch), Duration.ofSeconds(5),
                        r -> r.stream().anyMatch(SipPacket::isFinalResponse));
        return exchange.received().stream().filter(SipPacket::isFinalResponse).findFirst();
    }
}
