package io.siplane.testsupport.torture;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** A valid OPTIONS to the server itself: the "still alive?" question after each round of bad input. */
public final class Liveness {

    private Liveness() {
    }

    /** The OPTIONS as bytes, for a client on {@code localPort}. */
    public static byte[] options(String transport, int serverPort, int localPort, String domain) {
        return options(transport, serverPort, localPort, domain, "live-" + UUID.randomUUID());
    }

    /** The OPTIONS with a given Call-ID (also the branch and tag seed). */
    public static byte[] options(String transport, int serverPort, int localPort, String domain, String callId) {
        return optionsText(transport, serverPort, localPort, domain, callId).getBytes(StandardCharsets.US_ASCII);
    }

    /** The OPTIONS as text. */
    public static String optionsText(String transport, int serverPort, int localPort, String domain, String callId) {
        return "OPTIONS sip:127.0.0.1:" + serverPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport.toUpperCase() + " 127.0.0.1:" + localPort + ";branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:liveness@" + domain + ">;tag=" + Integer.toHexString(callId.hashCode()) + "\r\n"
                + "To: <sip:127.0.0.1:" + serverPort + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The final response to an OPTIONS over {@code transport}, if one came within {@code wait}. */
    public static Optional<SipPacket> ask(RawSipClient client, String transport, String domain, Duration wait) {
        int serverPort = client.server().getPort();
        RawSipClient.Exchange exchange = "TCP".equalsIgnoreCase(transport)
                ? client.tcp(port -> options("TCP", serverPort, port, domain), wait, r -> r.stream().anyMatch(SipPacket::isFinalResponse))
                : client.udp(port -> options("UDP", serverPort, port, domain), wait, r -> r.stream().anyMatch(SipPacket::isFinalResponse));
        return exchange.received().stream().filter(SipPacket::isFinalResponse).findFirst();
    }

    /** Whether the server answers OPTIONS over {@code transport} with a final status below 500. */
    public static boolean answers(RawSipClient client, String transport, String domain, Duration wait) {
        return ask(client, transport, domain, wait).flatMap(SipPacket::status).filter(s -> s < 500).isPresent();
    }
}
