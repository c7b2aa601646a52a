package io.siplane.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sip.message.Request;

import org.junit.jupiter.api.Test;

import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.pipeline.SipRequestHandler;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

class UdpFloodTest {

    /** A handler far slower than the flood: the bounded queue sheds what it cannot hold, and the port stays alive. */
    @Test
    void floodFasterThanTheHandlersIsShedAndTheEndpointKeepsAnswering() throws Exception {
        int port = SipPorts.freeUdpAndTcpPort();
        SipRequestHandler slow = new SipRequestHandler() {
            @Override
            public Set<String> methods() {
                return Set.of(Request.OPTIONS);
            }

            @Override
            public void handle(IncomingRequest request) throws Exception {
                Thread.sleep(5);
                request.respond(200);
            }
        };
        SipProperties base = SipProperties.of("127.0.0.1", port);
        SipProperties props = new SipProperties(base.bindAddress(), port, base.transports(), "", 0, "flood", 2, 8192, 50,
                Duration.ofSeconds(2), 16, 1 << 20, 0, "", Map.of(), SipProperties.Tls.defaults(), SipProperties.JAIN_SIP,
                SipProperties.Netty.defaults());
        SipEndpoint endpoint = new SipEndpoint(props, new SipRequestDispatcher(List.of(slow), Optional.empty(), SipFactories.get(), ""));
        endpoint.start();
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             TestUserAgent ua = TestUserAgent.udp().sendingTo(port)) {
            for (int i = 0; i < 20_000; i++) {
                byte[] options = options(flooder.getLocalPort(), i);
                flooder.send(new DatagramPacket(options, options.length, InetAddress.getLoopbackAddress(), port));
            }

            assertThat(ua.request(Request.OPTIONS, "sip:127.0.0.1:" + port).send().getStatusCode()).isEqualTo(200);
            assertThat(endpoint.isListening()).isTrue();
            assertThat(endpoint.droppedUdpMessages()).as("shed under overload").isPositive();
        } finally {
            endpoint.stop();
        }
    }

    private static byte[] options(int fromPort, int i) {
        return ("OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=z9hG4bKflood" + i + "\r\n"
                + "From: <sip:flood@127.0.0.1>;tag=f" + i + "\r\nTo: <sip:127.0.0.1>\r\nCall-ID: flood-" + i + "\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
