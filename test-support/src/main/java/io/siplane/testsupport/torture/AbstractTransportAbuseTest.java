package io.siplane.testsupport.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Transport-level abuse against one SIP service (issue 8, "bad input"): over-size UDP datagrams, TCP messages whose
 * headers never end or whose Content-Length is 10 MB, slow TCP senders, and more idle TCP connections than
 * {@code sip.max-tcp-connections}. After each, the service must answer OPTIONS over UDP and TCP, keep its stack
 * threads, and keep the heap it retains after a GC bounded. Figures go to {@code target/abuse/<service>.txt}.
 *
 * <p>The normal build runs bounded variants (seconds); {@code -Dsiplane.abuse.long=true} (the {@code fuzz} profile)
 * adds the long ones: a whole message at one byte per 100 ms, 2,000 idle connections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractTransportAbuseTest {

    /** {@code sip.max-tcp-connections} the service must be started with for these tests. */
    public static final int CONNECTION_LIMIT = 100;
    /** The most the heap retained after a GC may grow during any one test. */
    protected static final long HEAP_BOUND = 64L << 20;

    private SipServiceUnderTest service;
    private Set<Thread> stackThreads;
    private long heapBefore;
    private final List<String> figures = new ArrayList<>();

    /** The service under test, started with {@code sip.max-tcp-connections} = {@link #CONNECTION_LIMIT}. */
    protected abstract SipServiceUnderTest start();

    /** Stops the service if this class started it (not when it is shared with other test classes). */
    protected void stop() {
    }

    /** The service's {@code sip.max-message-size} (8192 unless it sets its own). */
    protected int maxMessageSize() {
        return 8192;
    }

    @BeforeAll
    final void startService() {
        service = start();
        stackThreads = ServingThreads.of(service.sipPort());
    }

    @AfterAll
    final void stopService() {
        try {
            if (service != null) {
                Path dir = Path.of("target", "abuse");
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(service.name() + ".txt"), String.join("\n", figures) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stop();
        }
    }

    @AfterEach
    final void theServiceStillAnswersKeepsItsThreadsAndItsHeap() {
        assertThat(Liveness.answers(service.client(), "UDP", service.domain(), Duration.ofSeconds(10))).as("OPTIONS over UDP").isTrue();
        assertThat(Liveness.answers(service.client(), "TCP", service.domain(), Duration.ofSeconds(10))).as("OPTIONS over TCP").isTrue();
        assertThat(stackThreads).as("stack threads").allMatch(Thread::isAlive);
        long heap = HeapProbe.usedAfterGc();
        record("  heap retained after GC: " + HeapProbe.mib(heapBefore) + " before, " + HeapProbe.mib(heap) + " after");
        assertThat(heap - heapBefore).as("heap growth").isLessThan(HEAP_BOUND);
    }

    protected SipServiceUnderTest service() {
        return service;
    }

    @Test
    void overSizeUdpDatagramsAreNeitherProcessedNorFatal() {
        heapBefore = HeapProbe.usedAfterGc();
        int[] sizes = {Math.min(maxMessageSize() + 1, 65_000), 16 * 1024, 65_000};
        for (int size : sizes) {
            for (boolean padFirst : new boolean[] {true, false}) {
                boolean within = size <= maxMessageSize();
                RawSipClient.Exchange exchange = service.client().udp(port -> paddedOptions(port, size, padFirst),
                        Duration.ofSeconds(within ? 5 : 2), r -> r.stream().anyMatch(SipPacket::isFinalResponse),
                        within ? null : new SettleProbe(service.domain()));
                Optional<SipPacket> answer = exchange.received().stream().filter(SipPacket::isFinalResponse).findFirst();
                record("UDP datagram of " + exchange.sent().length + " bytes (padding " + (padFirst ? "before" : "after")
                        + " the mandatory headers): " + answer.map(SipPacket::startLine).orElse("no answer"));
                answer.ifPresent(a -> assertThat(WireHygiene.problem(a)).isEmpty());
                if (within) {
                    // within the service's limit (the gateway takes any datagram): an ordinary request
                    assertThat(answer.flatMap(SipPacket::status)).as("answer to a %d-byte datagram", size)
                            .hasValueSatisfying(v -> assertThat(v).isLessThan(500));
                } else {
                    // RFC 3261 §18.1.1/§18.3: never processed as if it were complete; 400 or 513 or silence
                    assertThat(answer.flatMap(SipPacket::status)).as("answer to a %d-byte datagram", size)
                            .satisfiesAnyOf(st -> assertThat(st).isEmpty(),
                                    st -> assertThat(st).hasValueSatisfying(v -> assertThat(v).isIn(400, 513)));
                }
            }
        }
    }

    @Test
    void aTcpMessageWhoseHeadersNeverEndIsCutOffNearTheSizeLimit() throws IOException {
        heapBefore = HeapProbe.usedAfterGc();
        byte[] start = ("OPTIONS sip:127.0.0.1:" + service.sipPort() + " SIP/2.0\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] line = ("X-Pad: " + "a".repeat(1016) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        TcpAbuse.StreamOutcome outcome = TcpAbuse.streamUntilClosed(service.client().server(), start, line, 64L << 20,
                Duration.ofSeconds(20));
        record("TCP headers that never end: closed by the server " + outcome.closedByServer() + " after the client wrote "
                + outcome.bytesWritten() + " bytes in " + outcome.elapsed().toMillis() + " ms; answers: " + outcome.received());
        assertThat(outcome.closedByServer()).as("the server cut the connection").isTrue();
        // what the server read is at most its limit; the rest sat in loopback socket buffers (up to a few MiB)
        assertThat(outcome.bytesWritten()).isLessThan(16L << 20);
        assertThat(outcome.received()).noneMatch(SipPacket::isFinalResponse);
    }

    @Test
    void aTenMegabyteContentLengthIsRefusedWithoutReadingTheBody() throws IOException {
        heapBefore = HeapProbe.usedAfterGc();
        byte[] headers = (Liveness.optionsText("TCP", service.sipPort(), 5, service.domain(), "ten-megabytes")
                .replace("Content-Length: 0", "Content-Type: text/plain\r\nContent-Length: 10485760")).getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = "b".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        TcpAbuse.StreamOutcome outcome = TcpAbuse.streamUntilClosed(service.client().server(), headers, chunk, 10L << 20,
                Duration.ofSeconds(20));
        record("TCP Content-Length 10485760: closed by the server " + outcome.closedByServer() + " after the client wrote "
                + outcome.bytesWritten() + " bytes in " + outcome.elapsed().toMillis() + " ms; answers: " + outcome.received());
        assertThat(outcome.received()).noneMatch(p -> p.status().filter(s -> s < 300).isPresent());
        assertThat(outcome.closedByServer()).as("the server cut the connection").isTrue();
    }

    @Test
    void slowSendersDelayNoOtherClient() throws Exception {
        heapBefore = HeapProbe.usedAfterGc();
        int senders = 20;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<TcpAbuse.StreamOutcome>> slow = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                byte[] message = Liveness.options("TCP", service.sipPort(), 5, service.domain(), "slow-" + i);
                slow.add(pool.submit(() -> TcpAbuse.slowSend(service.client().server(), message, Duration.ofMillis(100),
                        Duration.ofSeconds(2), Duration.ZERO)));
            }
            Thread.sleep(500);
            long t0 = System.nanoTime();
            assertThat(Liveness.answers(service.client(), "TCP", service.domain(), Duration.ofSeconds(2))).as("a TCP client meanwhile").isTrue();
            assertThat(Liveness.answers(service.client(), "UDP", service.domain(), Duration.ofSeconds(2))).as("a UDP client meanwhile").isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            for (Future<TcpAbuse.StreamOutcome> f : slow) {
                f.get(30, TimeUnit.SECONDS);
            }
            record(senders + " TCP senders at 1 byte per 100 ms for 2 s: other clients answered over TCP and UDP within " + ms + " ms");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "siplane.abuse.long", matches = "true")
    void aWholeMessageAtOneBytePer100msIsAnsweredOrCutOff() throws IOException {
        heapBefore = HeapProbe.usedAfterGc();
        byte[] message = Liveness.options("TCP", service.sipPort(), 5, service.domain(), "slowest");
        TcpAbuse.StreamOutcome outcome = TcpAbuse.slowSend(service.client().server(), message, Duration.ofMillis(100),
                Duration.ofMinutes(2), Duration.ofSeconds(5));
        record("a " + message.length + "-byte OPTIONS at 1 byte per 100 ms: " + outcome.bytesWritten() + " bytes sent in "
                + outcome.elapsed().toSeconds() + " s, closed by the server " + outcome.closedByServer() + ", answers: " + outcome.received());
        assertThat(outcome.received().isEmpty() ? outcome.closedByServer() : outcome.received().get(0).isFinalResponse()).isTrue();
    }

    @Test
    void idleConnectionsBeyondTheLimitAreHeldOffAndTheServiceStaysUsable() throws Exception {
        idleConnections(CONNECTION_LIMIT * 3);
    }

    @Test
    @EnabledIfSystemProperty(named = "siplane.abuse.long", matches = "true")
    void twoThousandIdleConnections() throws Exception {
        idleConnections(2000);
    }

    private void idleConnections(int count) throws Exception {
        heapBefore = HeapProbe.usedAfterGc();
        int threadsBefore = ServingThreads.tcpConnectionThreads();
        long t0 = System.nanoTime();
        List<Socket> idle = TcpAbuse.openIdle(service.client().server(), count, Duration.ofMillis(300));
        try {
            // the threads of connections refused over the limit end on their own: poll (at most 10 s) rather than
            // count them after a fixed pause that a loaded machine may not honour
            awaitConnectionThreadsAtMost(threadsBefore + 2 * CONNECTION_LIMIT + 8, Duration.ofSeconds(10));
            int serverThreads = ServingThreads.tcpConnectionThreads() - threadsBefore;
            long heap = HeapProbe.usedAfterGc();
            boolean udp = Liveness.answers(service.client(), "UDP", service.domain(), Duration.ofSeconds(2));
            long tcpStart = System.nanoTime();
            Optional<SipPacket> tcp = Liveness.ask(service.client(), "TCP", service.domain(), Duration.ofSeconds(10));
            long tcpMs = (System.nanoTime() - tcpStart) / 1_000_000;
            record(count + " idle TCP connections attempted, " + idle.size() + " connected (kernel) in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms; server threads for connections: " + serverThreads
                    + " (limit " + CONNECTION_LIMIT + " connections, 2 threads each); heap retained " + HeapProbe.mib(heap)
                    + "; a new UDP client answered: " + udp + "; a new TCP client: "
                    + tcp.map(p -> p.startLine() + " after " + tcpMs + " ms").orElse("no answer within 10 s"));
            assertThat(serverThreads).as("threads for TCP connections").isLessThanOrEqualTo(2 * CONNECTION_LIMIT + 8);
            assertThat(udp).as("a UDP client is served while TCP is full").isTrue();
            assertThat(tcp).as("a new TCP client is served while idle connections fill the limit").isPresent();
        } finally {
            TcpAbuse.closeAll(idle);
        }
        awaitConnectionThreadsAtMost(threadsBefore + 8, Duration.ofSeconds(15));
        record("  after closing them: " + (ServingThreads.tcpConnectionThreads() - threadsBefore) + " connection threads left");
    }

    private static void awaitConnectionThreadsAtMost(int threads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ServingThreads.tcpConnectionThreads() > threads && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private byte[] paddedOptions(int localPort, int size, boolean padFirst) {
        String base = Liveness.optionsText("UDP", service.sipPort(), localPort, service.domain(), "pad-" + size + "-" + padFirst);
        int eol = base.indexOf("\r\n") + 2;
        int pad = Math.max(1, size - base.length() - "X-Pad: \r\n".length());
        String padding = "X-Pad: " + "p".repeat(pad) + "\r\n";
        String message = padFirst ? base.substring(0, eol) + padding + base.substring(eol)
                : base.substring(0, base.length() - 2) + padding + "\r\n";
        return message.getBytes(StandardCharsets.US_ASCII);
    }

    private void record(String line) {
        figures.add(line);
        System.out.println("[abuse " + service.name() + "] " + line);
    }
}
