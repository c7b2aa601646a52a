package io.siplane.testsupport.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Sends raw bytes to a SIP server over plain sockets, not through a SIP stack (the bytes may be anything), and
 * collects what comes back on the same socket within a deadline. Each exchange uses its own socket, so replies are
 * attributable even when many exchanges run at once.
 */
public final class RawSipClient {

    private static final int MAX_DATAGRAM = 65_535;
    /** How long a TCP exchange keeps its connection open after the answer came. */
    private static final Duration LINGER = Duration.ofMillis(200);

    private final InetSocketAddress server;

    public RawSipClient(InetSocketAddress server) {
        this.server = server;
    }

    public static RawSipClient loopback(int port) {
        return new RawSipClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    public InetSocketAddress server() {
        return server;
    }

    /** What came back for one message. */
    public record Exchange(byte[] sent, List<SipPacket> received, boolean closedByServer, byte[] unframed) {

        public Exchange {
            sent = sent.clone();
            received = List.copyOf(received);
            unframed = unframed.clone();
        }
    }

    /**
     * Sends one datagram built for the local port ({@code message.apply(localPort)}) and collects datagrams until
     * {@code done} holds or {@code wait} has passed.
     */
    public Exchange udp(IntFunction<byte[]> message, Duration wait, Predicate<List<SipPacket>> done) {
        return udp(message, wait, done, null);
    }

    /**
     * Like {@link #udp(IntFunction, Duration, Predicate)}, but when an answer need not come: right after the message
     * a {@link SettleProbe} goes out from the same socket, and once the server has answered it (plus a short grace)
     * whatever the message was going to cause has come. Saves waiting the whole deadline for a dropped message.
     */
    public Exchange udp(IntFunction<byte[]> message, Duration wait, Predicate<List<SipPacket>> done, SettleProbe probe) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] bytes = message.apply(socket.getLocalPort());
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            if (probe != null) {
                byte[] p = probe.bytes("UDP", server.getPort(), socket.getLocalPort());
                socket.send(new DatagramPacket(p, p.length, server));
            }
            List<SipPacket> received = new ArrayList<>();
            byte[] buffer = new byte[MAX_DATAGRAM];
            long deadline = System.nanoTime() + wait.toNanos();
            while (!done.test(received)) {
                int left = millisUntil(deadline);
                if (left == 0) {
                    break;
                }
                socket.setSoTimeout(left);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                SipPacket sip = new SipPacket(Arrays.copyOf(packet.getData(), packet.getLength()));
                if (probe != null && probe.isAnswer(sip)) {
                    deadline = Math.min(deadline, System.nanoTime() + SettleProbe.GRACE.toNanos());
                } else {
                    received.add(sip);
                }
            }
            return new Exchange(bytes, received, false, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("UDP exchange with " + server, e);
        }
    }

    /**
     * Opens a TCP connection, sends the message built for its local port and collects the messages the server writes
     * back until {@code done} holds, the server closes, or {@code wait} has passed.
     */
    public Exchange tcp(IntFunction<byte[]> message, Duration wait, Predicate<List<SipPacket>> done) {
        return tcp(message, wait, done, null);
    }

    /** TCP with a {@link SettleProbe} on the same connection (see {@link #udp(IntFunction, Duration, Predicate, SettleProbe)}). */
    public Exchange tcp(IntFunction<byte[]> message, Duration wait, Predicate<List<SipPacket>> done, SettleProbe probe) {
        try (Socket socket = new Socket()) {
            socket.connect(server, (int) Math.max(1, wait.toMillis()));
            socket.setTcpNoDelay(true);
            byte[] bytes = message.apply(socket.getLocalPort());
            socket.getOutputStream().write(bytes);
            if (probe != null) {
                socket.getOutputStream().write(probe.bytes("TCP", server.getPort(), socket.getLocalPort()));
            }
            socket.getOutputStream().flush();
            Exchange exchange = collect(socket, bytes, wait, done, probe);
            // a client that hangs up the moment it has its answer makes the server log send failures: stay a moment
            Thread.sleep(LINGER.toMillis());
            return exchange;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("TCP exchange with " + server, e);
        }
    }

    /** Whole milliseconds left until {@code deadline} ({@link System#nanoTime}), 0 once it has passed. */
    private static int millisUntil(long deadline) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        return left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Reads SIP messages from a connected socket (see {@link #tcp}). */
    public static Exchange collect(Socket socket, byte[] sent, Duration wait, Predicate<List<SipPacket>> done) throws IOException {
        return collect(socket, sent, wait, done, null);
    }

    static Exchange collect(Socket socket, byte[] sent, Duration wait, Predicate<List<SipPacket>> done, SettleProbe probe)
            throws IOException {
        SipStreamFramer framer = new SipStreamFramer();
        List<SipPacket> received = new ArrayList<>();
        boolean closed = false;
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[16 * 1024];
        long deadline = System.nanoTime() + wait.toNanos();
        while (!done.test(received)) {
            int left = millisUntil(deadline);
            if (left == 0) {
                break;
            }
            socket.setSoTimeout(left);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException reset) {
                closed = true;
                break;
            }
            if (n < 0) {
                closed = true;
                break;
            }
            for (SipPacket sip : framer.add(buffer, n)) {
                if (probe != null && probe.isAnswer(sip)) {
                    deadline = Math.min(deadline, System.nanoTime() + SettleProbe.GRACE.toNanos());
                } else {
                    received.add(sip);
                }
            }
        }
        return new Exchange(sent, received, closed, framer.remainder());
    }
}
