package io.siplane.testsupport.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Misbehaving TCP clients: endless streams, slow senders, idle connections. */
public final class TcpAbuse {

    private TcpAbuse() {
    }

    /**
     * What happened to a stream the server should cut off.
     *
     * @param bytesWritten   what the client managed to write (the server read at most this; kernel buffers hold the rest)
     * @param closedByServer whether the server closed or reset the connection
     * @param elapsed        until the server closed, or until the client gave up
     * @param received       what the server sent back
     */
    public record StreamOutcome(long bytesWritten, boolean closedByServer, Duration elapsed, List<SipPacket> received) {
    }

    /**
     * Writes {@code prefix}, then {@code chunk} over and over, until the server closes the connection, {@code maxBytes}
     * are written or {@code maxTime} has passed.
     */
    public static StreamOutcome streamUntilClosed(InetSocketAddress server, byte[] prefix, byte[] chunk, long maxBytes,
            Duration maxTime) throws IOException {
        List<SipPacket> received = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean eof = new AtomicBoolean();
        long start = System.nanoTime();
        long written = 0;
        try (Socket socket = new Socket()) {
            socket.setSendBufferSize(8192);
            socket.connect(server, 2000);
            Thread reader = readInto(socket, received, eof);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(prefix);
                written += prefix.length;
                while (!eof.get() && written < maxBytes && System.nanoTime() - start < maxTime.toNanos()) {
                    out.write(chunk);
                    written += chunk.length;
                }
            } catch (IOException closed) {
                eof.set(true);
            }
            long waitUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!eof.get() && System.nanoTime() < waitUntil && written >= maxBytes) {
                sleep(20);
            }
            boolean closed = eof.get();
            reader.interrupt();
            return new StreamOutcome(written, closed, Duration.ofNanos(System.nanoTime() - start), List.copyOf(received));
        }
    }

    /**
     * Sends {@code message} one byte every {@code perByte}, for at most {@code maxTime}; then waits up to
     * {@code answerWait} for an answer. Reports how many bytes went out and what came back.
     */
    public static StreamOutcome slowSend(InetSocketAddress server, byte[] message, Duration perByte, Duration maxTime,
            Duration answerWait) throws IOException {
        List<SipPacket> received = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean eof = new AtomicBoolean();
        long start = System.nanoTime();
        long written = 0;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(server, 2000);
            Thread reader = readInto(socket, received, eof);
            OutputStream out = socket.getOutputStream();
            try {
                for (byte b : message) {
                    if (eof.get() || System.nanoTime() - start >= maxTime.toNanos()) {
                        break;
                    }
                    out.write(b);
                    out.flush();
                    written++;
                    sleep(perByte.toMillis());
                }
            } catch (IOException closed) {
                eof.set(true);
            }
            long until = System.nanoTime() + answerWait.toNanos();
            while (!eof.get() && received.stream().noneMatch(SipPacket::isFinalResponse) && System.nanoTime() < until) {
                sleep(20);
            }
            boolean closed = eof.get();
            reader.interrupt();
            return new StreamOutcome(written, closed, Duration.ofNanos(System.nanoTime() - start), List.copyOf(received));
        }
    }

    /** Opens up to {@code count} connections that send nothing; those the server leaves in its backlog count too. */
    public static List<Socket> openIdle(InetSocketAddress server, int count, Duration connectTimeout) {
        List<Socket> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            try {
                s.connect(server, (int) connectTimeout.toMillis());
                sockets.add(s);
            } catch (IOException refusedOrTimedOut) {
                closeQuietly(s);
            }
        }
        return sockets;
    }

    public static void closeAll(List<Socket> sockets) {
        sockets.forEach(TcpAbuse::closeQuietly);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static Thread readInto(Socket socket, List<SipPacket> received, AtomicBoolean eof) {
        Thread reader = new Thread(() -> {
            SipStreamFramer framer = new SipStreamFramer();
            byte[] buffer = new byte[16 * 1024];
            try {
                socket.setSoTimeout(200);
                InputStream in = socket.getInputStream();
                while (!Thread.currentThread().isInterrupted()) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (n < 0) {
                        break;
                    }
                    received.addAll(framer.add(buffer, n));
                }
            } catch (IOException reset) {
                // closed or reset by the server
            }
            eof.set(true);
        }, "tcp-abuse-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
