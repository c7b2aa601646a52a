package io.siplane.sip.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.siplane.sip.RunningEndpoint;

import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.Liveness;
import io.siplane.testsupport.torture.RawSipClient;
import io.siplane.testsupport.torture.StackThreads;
import io.siplane.testsupport.torture.TcpAbuse;

/** TCP clients that hold connections without using them no longer lock the others out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpConnectionGuardTest {

    final int PORT = SipPorts.freeUdpAndTcpPort();
    RunningEndpoint endpoint;

    @BeforeAll
    void start() {
        endpoint = startEndpoint();
    }

    /** The endpoint under test, on the engine a subclass picks. */
    RunningEndpoint startEndpoint() {
        return RunningEndpoint.start(PORT, "OPTIONS", "sip.max-tcp-connections=10",
                "sip.stack-properties[io.siplane.sip.TCP_IDLE_TIMEOUT]=1500",
                "sip.stack-properties[io.siplane.sip.TCP_MESSAGE_TIMEOUT]=1000");
    }

    @AfterAll
    void stop() {
        endpoint.close();
    }

    @Test
    void aNewClientIsServedWhileIdleConnectionsFillTheLimitAndTheyStayWithinIt() throws Exception {
        int before = StackThreads.tcpConnectionThreads();
        List<Socket> idle = TcpAbuse.openIdle(server(), 40, Duration.ofMillis(500));
        try {
            assertThat(idle).hasSize(40);
            assertThat(Liveness.answers(RawSipClient.loopback(PORT), "TCP", "example.com", Duration.ofSeconds(5))).isTrue();
            assertConnectionsWithinTheLimitOf10(before);
        } finally {
            TcpAbuse.closeAll(idle);
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutButKeepAlivesKeepItOpen() throws Exception {
        try (Socket quiet = new Socket(); Socket alive = new Socket()) {
            quiet.connect(server());
            alive.connect(server());
            long t0 = System.nanoTime();
            // a keep-alive on one connection every 300 ms for as long as the quiet one stays open (at most 10 s)
            boolean quietClosed = false;
            for (int i = 0; i < 33 && !quietClosed; i++) {
                alive.getOutputStream().write("\r\n\r\n".getBytes());
                quietClosed = closedWithin(quiet, Duration.ofMillis(300));
            }
            assertThat(quietClosed).as("the quiet connection is closed").isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1400);
            alive.getOutputStream().write(Liveness.options("TCP", PORT, 5, "example.com"));
            assertThat(firstLine(alive)).as("the connection that sent keep-alives").isEqualTo("SIP/2.0 200 OK");
        }
    }

    @Test
    void aClientTricklingAMessageIsCutOffAfterTheMessageTimeout() throws Exception {
        TcpAbuse.StreamOutcome slow = TcpAbuse.slowSend(server(), Liveness.options("TCP", PORT, 5, "example.com"),
                Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ZERO);
        assertThat(slow.closedByServer()).isTrue();
        // the whole message at 100 ms a byte would take over 20 s: a cut well before that is the 1 s timeout's
        assertThat(slow.elapsed()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(6));
        assertThat(slow.received()).isEmpty();
    }

    /** The RI holds two threads per connection: the connections closed over the limit end theirs, boundedly. */
    void assertConnectionsWithinTheLimitOf10(int threadsBefore) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(StackThreads.tcpConnectionThreads() - threadsBefore).as("two threads per connection")
                        .isLessThanOrEqualTo(2 * 10 + 2));
    }

    InetSocketAddress server() {
        return RawSipClient.loopback(PORT).server();
    }

    private static boolean closedWithin(Socket socket, Duration wait) throws Exception {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    /** The first line that is not empty: an endpoint may have answered the keep-alive pings with CRLF pongs first. */
    private static String firstLine(Socket socket) throws Exception {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && (c != '\n' || line.length() == 0)) {
            if (c != '\r' && c != '\n') {
                line.append((char) c);
            }
        }
        return line.toString().strip();
    }
}
