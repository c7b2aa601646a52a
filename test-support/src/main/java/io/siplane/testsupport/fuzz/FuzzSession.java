package io.siplane.testsupport.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.siplane.testsupport.torture.HeapProbe;
import io.siplane.testsupport.torture.Liveness;
import io.siplane.testsupport.torture.SipPacket;
import io.siplane.testsupport.torture.SipServiceUnderTest;
import io.siplane.testsupport.torture.ServingThreads;
import io.siplane.testsupport.torture.WireHygiene;

/**
 * Feeds fuzz inputs to a running SIP service and watches it: every datagram it sends back must be clean
 * ({@link WireHygiene}); every {@value #PACE_EVERY} inputs an OPTIONS over UDP must be answered (which also keeps the
 * fuzzer from outrunning the service); every {@link #checkEvery} inputs an OPTIONS over TCP must be answered, every
 * stack thread must be alive and the heap retained after a full GC must stay within {@link #heapBound}.
 *
 * <p>Problems are collected with the inputs sent just before them ({@link #assertNoProblem()}); {@link #finish()}
 * writes a report to {@code target/fuzz/<service>.txt}.
 */
public final class FuzzSession implements AutoCloseable {

    static final int PACE_EVERY = 25;
    private static final int RECENT = 60;
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(10);
    private static final Duration TCP_READ = Duration.ofMillis(300);

    private final SipServiceUnderTest service;
    private final int checkEvery;
    private final long heapBound;
    private final DatagramSocket udp;
    private final Thread receiver;
    private final InetSocketAddress server;
    private final Set<Thread> stackThreads;
    private final int tcpThreadsBefore;
    private final long heapBaseline;
    private final long started = System.nanoTime();
    private final Deque<FuzzInput> recent = new ArrayDeque<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, CompletableFuture<SipPacket>> awaited = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private long tries;
    private long udpSent;
    private long tcpSent;
    private long tcpAnswers;
    private long heapMaxAfterGc;
    private long checkpoints;
    private volatile boolean closed;

    /**
     * @param checkEvery inputs between full checks (TCP liveness, threads, heap)
     * @param heapBound  the most the heap retained after a full GC may grow over its value at the start, bytes
     */
    public FuzzSession(SipServiceUnderTest service, int checkEvery, long heapBound) {
        this.service = service;
        this.checkEvery = checkEvery;
        this.heapBound = heapBound;
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), service.sipPort());
        try {
            this.udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            udp.setReceiveBufferSize(1 << 20);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        this.stackThreads = ServingThreads.of(service.sipPort());
        this.tcpThreadsBefore = ServingThreads.tcpConnectionThreads();
        this.heapBaseline = HeapProbe.usedAfterGc();
        this.heapMaxAfterGc = heapBaseline;
        HeapProbe.resetPeaks();
        this.receiver = new Thread(this::receive, "fuzz-receiver-" + service.sipPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    /** Sends one input (UDP, or TCP on a fresh connection), then paces and checks as due. */
    public void send(FuzzInput input) {
        tries++;
        remember(input);
        String id = "f" + Long.toHexString(System.nanoTime()) + "x" + tries;
        byte[] bytes = fill(input.template(), id, udp.getLocalPort());
        try {
            if ("TCP".equals(input.transport()) || bytes.length > 65_000) {
                tcp(bytes);
            } else {
                udp.send(new DatagramPacket(bytes, bytes.length, server));
                udpSent++;
            }
        } catch (IOException e) {
            problems.add("could not send " + input + ": " + e);
        }
        if (tries % PACE_EVERY == 0) {
            pace();
        }
        if (tries % checkEvery == 0) {
            checkpoint(tries % (checkEvery * 10L) == 0);
        }
    }

    /** Fails with every problem seen so far and the inputs sent just before. */
    public void assertNoProblem() {
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder(service.name() + " after " + tries + " inputs: " + problems.size() + " problem(s)\n");
            synchronized (problems) {
                problems.stream().limit(10).forEach(p -> b.append("  ").append(p).append('\n'));
            }
            StringBuilder full = new StringBuilder(b);
            full.append("the last ").append(recent.size()).append(" inputs, newest last:\n");
            recent.forEach(i -> full.append("  ").append(i.describe()).append('\n'));
            writeFile("failure", full.toString());
            b.append("the last inputs, newest last (all ").append(recent.size()).append(" in target/fuzz/").append(service.name())
                    .append("-failure.txt):\n");
            recent.stream().skip(Math.max(0, recent.size() - 5)).forEach(i -> b.append("  ").append(i).append('\n'));
            throw new AssertionError(b.toString());
        }
    }

    /** A last full check, the figures, and the report file. */
    public FuzzReport finish() {
        if (tries > 0) {
            pace();
        }
        checkpoint(true);
        // connections the fuzzer opened must all be gone on the server side too (15 s: threads end late on a loaded machine)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (ServingThreads.tcpConnectionThreads() > tcpThreadsBefore + 4 && System.nanoTime() < deadline) {
            sleep(100);
        }
        int tcpThreadsAfter = ServingThreads.tcpConnectionThreads();
        if (tcpThreadsAfter > tcpThreadsBefore + 4) {
            problems.add("TCP connection threads did not come back down: " + tcpThreadsBefore + " before, " + tcpThreadsAfter + " after");
        }
        FuzzReport report = new FuzzReport(service.name(), tries, udpSent, tcpSent, received.get() + tcpAnswers,
                Duration.ofNanos(System.nanoTime() - started), heapBaseline, heapMaxAfterGc, HeapProbe.peakUsed(),
                HeapProbe.maxHeap(), stackThreads.size(), checkpoints, List.copyOf(problems));
        writeFile("report", report.toString());
        return report;
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
    }

    private void remember(FuzzInput input) {
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(input);
    }

    private static byte[] fill(byte[] template, String id, int replyPort) {
        String text = new String(template, StandardCharsets.ISO_8859_1)
                .replace(FuzzSeeds.ID, id).replace(FuzzSeeds.REPLY_PORT, String.valueOf(replyPort));
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void tcp(byte[] bytes) throws IOException {
        tcpSent++;
        try (Socket socket = new Socket()) {
            socket.connect(server, (int) ANSWER_WAIT.toMillis());
            socket.setSoTimeout((int) TCP_READ.toMillis());
            try {
                socket.getOutputStream().write(bytes);
                socket.shutdownOutput();
            } catch (IOException closedByServer) {
                // the server may close on the first bad byte (a message over its size limit, say): fine
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            long until = System.nanoTime() + TCP_READ.toNanos();
            while (System.nanoTime() < until && all.size() < 1 << 20) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException | SocketException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                all.write(buffer, 0, n);
            }
            if (all.size() > 0) {
                tcpAnswers++;
                inspect(new SipPacket(all.toByteArray()));
            }
        }
    }

    private void receive() {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    problems.add("fuzzer receive failed: " + e);
                }
                return;
            }
            received.incrementAndGet();
            SipPacket sip = new SipPacket(Arrays.copyOf(packet.getData(), packet.getLength()));
            inspect(sip);
            for (Map.Entry<String, CompletableFuture<SipPacket>> e : awaited.entrySet()) {
                if (sip.isFinalResponse() && sip.text().contains(e.getKey())) {
                    e.getValue().complete(sip);
                }
            }
        }
    }

    private void inspect(SipPacket packet) {
        Optional<String> problem = WireHygiene.problem(packet);
        if (problem.isPresent()) {
            problems.add(problem.get());
        } else if (packet.status().filter(s -> s == 500).isPresent()) {
            problems.add("answered 500: " + packet.startLine());
        }
    }

    /** An OPTIONS over the shared UDP socket, waited for: the service has caught up and still answers. */
    private void pace() {
        String callId = "pace-" + tries + "-" + System.nanoTime();
        CompletableFuture<SipPacket> answer = new CompletableFuture<>();
        awaited.put(callId, answer);
        try {
            byte[] options = Liveness.options("UDP", service.sipPort(), udp.getLocalPort(), service.domain(), callId);
            for (int attempt = 0; attempt < 4 && !answer.isDone(); attempt++) {
                udp.send(new DatagramPacket(options, options.length, server));
                try {
                    answer.get(ANSWER_WAIT.toMillis() / 4, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException retransmit) {
                    // like a UAC, send again (RFC 3261 §17.1.2.2): the service may have shed load
                }
            }
            if (!answer.isDone()) {
                problems.add("OPTIONS over UDP unanswered for " + ANSWER_WAIT.toSeconds() + " s after input " + tries);
            }
        } catch (IOException e) {
            problems.add("OPTIONS over UDP could not be sent: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            awaited.remove(callId);
        }
    }

    private void checkpoint(boolean withHeap) {
        checkpoints++;
        if (!Liveness.answers(service.client(), "TCP", service.domain(), ANSWER_WAIT)) {
            problems.add("OPTIONS over TCP unanswered after input " + tries);
        }
        List<String> dead = stackThreads.stream().filter(t -> !t.isAlive()).map(Thread::getName).toList();
        if (!dead.isEmpty()) {
            problems.add("stack threads died: " + dead);
        }
        if (withHeap) {
            long used = HeapProbe.usedAfterGc();
            heapMaxAfterGc = Math.max(heapMaxAfterGc, used);
            if (used - heapBaseline > heapBound) {
                problems.add("heap retained after GC grew from " + HeapProbe.mib(heapBaseline) + " to " + HeapProbe.mib(used)
                        + " (bound: +" + HeapProbe.mib(heapBound) + ")");
            }
        }
    }

    private void writeFile(String kind, String text) {
        try {
            Path dir = Path.of("target", "fuzz");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(service.name() + "-" + kind + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
