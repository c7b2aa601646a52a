package io.siplane.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sip.message.Request;

import org.junit.jupiter.api.Test;

import io.siplane.sip.netty.NettySender;
import io.siplane.sip.netty.NettySipEndpoint;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.pipeline.SipRequestHandler;
import io.siplane.sip.shutdown.SipDrain;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * {@link UdpFloodTest} on the Netty engine: a flood faster than the handlers is shed by the sockets' bounded receive
 * buffers (the kernel drops what does not fit; there is no queue in the JVM to grow), the endpoint keeps answering,
 * and a datagram over the size limit is counted as dropped.
 */
class NettyUdpFloodTest {

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
                // a handler that blocks its event loop: the worst case for the loop, the flood piles up in the socket
                Thread.sleep(1);
                request.respond(200);
            }
        };
        SipProperties props = SipProperties.of("127.0.0.1", port).withEngine(SipProperties.NETTY);
        NettySipEndpoint endpoint = new NettySipEndpoint(props,
                new SipRequestDispatcher(List.of(slow), Optional.empty(), SipFactories.get(), ""), SipDrain.none(), new NettySender());
        endpoint.start();
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             TestUserAgent ua = TestUserAgent.udp().sendingTo(port)) {
            byte[] tooLong = new byte[props.maxMessageSize() + 100];
            flooder.send(new DatagramPacket(tooLong, tooLong.length, InetAddress.getLoopbackAddress(), port));
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.droppedUdpMessages() == 1);
            for (int i = 0; i < 20_000; i++) {
                byte[] options = options(flooder.getLocalPort(), i);
                flooder.send(new DatagramPacket(options, options.length, InetAddress.getLoopbackAddress(), port));
            }

            assertThat(ua.request(Request.OPTIONS, "sip:127.0.0.1:" + port).send().getStatusCode()).isEqualTo(200);
            assertThat(endpoint.isListening()).isTrue();
            assertThat(endpoint.droppedUdpMessages()).as("only the over-size datagram is the endpoint's to drop").isEqualTo(1);
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
