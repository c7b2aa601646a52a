package io.siplane.sip.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.Transport;
import io.siplane.sip.parser.SipParser;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.pipeline.SipRequestHandler;
import io.siplane.sip.shutdown.SipDrain;
import io.siplane.sip.shutdown.SipShutdownProperties;
import io.siplane.sip.transport.NextHop;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;
import io.siplane.testsupport.torture.Liveness;

/**
 * What only the Netty engine has to show on real sockets: TCP framing (two messages in one segment, one message in
 * pieces, CRLF pings, over-size and Content-Length-less requests), the per-address connection limit, a request sent
 * to an inbound client's {@code ip:port} going down that client's own connection, draining and a clean stop.
 */
class NettyEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final int port = SipPorts.freeUdpAndTcpPort();
    private NettySipEndpoint endpoint;
    private SipDrain drain = SipDrain.none();

    private void start(Map<String, String> stackProperties) {
        SipRequestHandler options = new SipRequestHandler() {
            @Override
            public Set<String> methods() {
                return Set.of(Request.OPTIONS);
            }

            @Override
            public void handle(IncomingRequest request) throws Exception {
                request.respond(Response.OK);
            }
        };
        SipProperties base = SipProperties.of("127.0.0.1", port);
        SipProperties properties = new SipProperties(base.bindAddress(), port, base.transports(), "", 0, "netty", 4, 8192,
                100, Duration.ofSeconds(2), 4096, 1 << 20, 0, "", stackProperties, SipProperties.Tls.defaults(),
                SipProperties.NETTY, new SipProperties.Netty(2, Duration.ofSeconds(2)));
        endpoint = new NettySipEndpoint(properties,
                new SipRequestDispatcher(List.of(options), Optional.empty(), SipFactories.get(), "", drain), drain, new NettySender());
        endpoint.start();
    }

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.stop();
        }
    }

    @Test
    void twoRequestsInOneSegmentAreBothAnswered() throws Exception {
        start(Map.of());
        try (Socket socket = connect()) {
            int local = socket.getLocalPort();
            String both = Liveness.optionsText("TCP", port, local, "example.com", "one-" + System.nanoTime())
                    + Liveness.optionsText("TCP", port, local, "example.com", "two-" + System.nanoTime());
            socket.getOutputStream().write(both.getBytes(StandardCharsets.US_ASCII));

            assertThat(readUntil(socket, text -> count(text, "SIP/2.0 200 OK") >= 2)).satisfies(text ->
                    assertThat(count(text, "SIP/2.0 200 OK")).isEqualTo(2));
        }
    }

    @Test
    void aRequestWrittenInPiecesIsFramedWhole() throws Exception {
        start(Map.of());
        try (Socket socket = connect()) {
            socket.setTcpNoDelay(true);
            byte[] whole = Liveness.options("TCP", port, socket.getLocalPort(), "example.com");
            OutputStream out = socket.getOutputStream();
            // the request line, then the headers in two pieces: each read may see part of a message
            out.write(whole, 0, 10);
            out.flush();
            out.write(whole, 10, 60);
            out.flush();
            out.write(whole, 70, whole.length - 70);
            out.flush();

            assertThat(readUntil(socket, text -> text.contains("SIP/2.0 200 OK"))).contains("SIP/2.0 200 OK");
        }
    }

    @Test
    void aDoubleCrlfPingIsAnsweredWithACrlfPongAndTheConnectionServesOn() throws Exception {
        start(Map.of());
        try (Socket socket = connect()) {
            socket.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout((int) WAIT.toMillis());
            InputStream in = socket.getInputStream();
            assertThat(new byte[] {(byte) in.read(), (byte) in.read()}).as("RFC 5626 §3.5.1 pong").containsExactly('\r', '\n');

            socket.getOutputStream().write(Liveness.options("TCP", port, socket.getLocalPort(), "example.com"));
            assertThat(readUntil(socket, text -> text.contains("SIP/2.0 200 OK"))).contains("SIP/2.0 200 OK");
        }
    }

    @Test
    void aRequestWithoutContentLengthOverTcpGets400AndTheConnectionIsClosed() throws Exception {
        start(Map.of());
        try (Socket socket = connect()) {
            String request = Liveness.optionsText("TCP", port, socket.getLocalPort(), "example.com", "ncl-" + System.nanoTime())
                    .replaceAll("(?i)Content-Length: *0\r\n", "");
            assertThat(request).doesNotContainIgnoringCase("content-length");
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));

            String answer = readUntilClosed(socket);
            assertThat(answer).startsWith("SIP/2.0 400 Bad Request (missing Content-Length)");
        }
    }

    @Test
    void aMessageOverTheMaximumSizeGets400AndTheConnectionIsClosed() throws Exception {
        start(Map.of());
        try (Socket socket = connect()) {
            String request = Liveness.optionsText("TCP", port, socket.getLocalPort(), "example.com", "big-" + System.nanoTime())
                    .replaceAll("(?i)Content-Length: *0\r\n", "Content-Length: 9000\r\n");
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));

            assertThat(readUntilClosed(socket)).startsWith("SIP/2.0 400 Message Too Large");
        }
    }

    @Test
    void aConnectionBeyondThePerAddressLimitIsServedAndOneOfTheOlderOnesOfThatAddressIsClosed() throws Exception {
        start(Map.of("io.siplane.sip.TCP_MAX_CONNECTIONS_PER_ADDRESS", "3"));
        try (Socket first = connect(); Socket second = connect(); Socket third = connect()) {
            // the three are registered before the fourth comes (each loop registers its own connections)
            await().atMost(WAIT).until(() -> endpoint.connectionCount() == 3);
            try (Socket fourth = connect()) {
                // all are equally quiet: which of the older three goes depends on when each loop saw it
                List<Socket> older = List.of(first, second, third);
                Set<Socket> closed = new HashSet<>();
                await().atMost(WAIT).until(() -> {
                    for (Socket s : older) {
                        if (!closed.contains(s) && closedWithin(s, Duration.ofMillis(50))) {
                            closed.add(s);
                        }
                    }
                    return !closed.isEmpty();
                });
                fourth.getOutputStream().write(Liveness.options("TCP", port, fourth.getLocalPort(), "example.com"));
                assertThat(readUntil(fourth, text -> text.contains("SIP/2.0 200 OK"))).contains("SIP/2.0 200 OK");
                assertThat(closed).hasSize(1);
                assertThat(endpoint.connectionCount()).isEqualTo(3);
            }
        }
    }

    @Test
    void aRequestSentToAnInboundClientsAddressGoesDownThatClientsConnection() throws Exception {
        start(Map.of());
        try (Socket client = connect()) {
            client.getOutputStream().write(Liveness.options("TCP", port, client.getLocalPort(), "example.com"));
            assertThat(readUntil(client, text -> text.contains("SIP/2.0 200 OK"))).contains("SIP/2.0 200 OK");

            // the client's ephemeral port listens for nothing: only its own connection can carry the request (NAT)
            String callId = "flow-" + System.nanoTime();
            Request request = (Request) SipParser.parse(Liveness.optionsText("TCP", client.getLocalPort(), port, "127.0.0.1", callId)
                    .getBytes(StandardCharsets.US_ASCII));
            endpoint.sender().sendRequest(request, new NextHop("127.0.0.1", client.getLocalPort(), Transport.TCP));

            assertThat(readUntil(client, text -> text.contains(callId))).startsWith("OPTIONS ").contains(callId);
        }
    }

    @Test
    void aRequestToAHopWithoutAConnectionOpensOneAndTheNextRequestReusesIt() throws Exception {
        start(Map.of());
        try (java.net.ServerSocket hop = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            hop.setSoTimeout((int) WAIT.toMillis());
            String first = "out-1-" + System.nanoTime();
            endpoint.sender().sendRequest(options(hop.getLocalPort(), first), new NextHop("127.0.0.1", hop.getLocalPort(), Transport.TCP));
            try (Socket accepted = hop.accept()) {
                assertThat(readUntil(accepted, text -> text.contains(first))).startsWith("OPTIONS ");
                // the connection is registered once up: the second request must not open another
                await().atMost(WAIT).until(() -> endpoint.connectionCount() == 1);
                String second = "out-2-" + System.nanoTime();
                endpoint.sender().sendRequest(options(hop.getLocalPort(), second),
                        new NextHop("127.0.0.1", hop.getLocalPort(), Transport.TCP));
                assertThat(readUntil(accepted, text -> text.contains(second))).contains(second);
                assertThat(endpoint.connectionCount()).isEqualTo(1);
            }
        }
    }

    private Request options(int to, String callId) throws Exception {
        return (Request) SipParser.parse(Liveness.optionsText("TCP", to, port, "127.0.0.1", callId).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void drainingAnswersProbes503WithRetryAfterThenStopsAndLeavesNoThread() throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        drain = new SipDrain(new SipShutdownProperties(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(3)));
        start(Map.of());
        try (TestUserAgent prober = TestUserAgent.udp().sendingTo(port)) {
            assertThat(probe(prober).getStatusCode()).as("probe while serving").isEqualTo(200);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(endpoint::stop);
            await().atMost(WAIT).until(endpoint::isDraining);
            Response probed = probe(prober);
            assertThat(probed.getStatusCode()).as("probe while draining").isEqualTo(503);
            assertThat(((RetryAfterHeader) probed.getHeader(RetryAfterHeader.NAME)).getRetryAfter()).isEqualTo(3);

            stopping.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(endpoint.isRunning()).isFalse();
            assertThat(endpoint.isListening()).isFalse();
        }
        endpoint = null;
        await().atMost(WAIT).untilAsserted(() -> {
            Set<Thread> left = new HashSet<>(Thread.getAllStackTraces().keySet());
            left.removeAll(before);
            left.removeIf(t -> !t.isAlive() || !t.getName().startsWith("sip-netty-"));
            assertThat(left).extracting(Thread::getName).isEmpty();
        });
    }

    private static Response probe(TestUserAgent prober) {
        return prober.sendAsync(prober.request(Request.OPTIONS, "sip:127.0.0.1").build()).join();
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
        return socket;
    }

    /** What the socket received until {@code done} holds of it, or the deadline. */
    private static String readUntil(Socket socket, java.util.function.Predicate<String> done) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + WAIT.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline && !done.test(received.toString(StandardCharsets.ISO_8859_1))) {
            socket.setSoTimeout(200);
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException more) {
                // poll again until the deadline
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readUntilClosed(Socket socket) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed with a reset: what arrived before counts
        }
        return received.toString(StandardCharsets.ISO_8859_1);
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

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
