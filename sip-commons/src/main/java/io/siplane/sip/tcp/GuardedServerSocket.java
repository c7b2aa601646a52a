package io.siplane.sip.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listening socket that keeps the connections it accepted within {@link TcpLimits}.
 *
 * <p>JAIN-SIP RI alone stops calling {@code accept()} once {@code MAX_CONNECTIONS} connections are open and never
 * closes an idle one: whoever opens that many connections and sends nothing locks every other TCP client out for
 * good. Here a connection beyond the limit is accepted and the connection that has been quiet longest is closed
 * instead (from the same source address first), connections idle for {@link TcpLimits#idleTimeout()} are closed, and
 * so are those that take longer than {@link TcpLimits#messageTimeout()} to deliver a message they have started.
 */
public class GuardedServerSocket extends ServerSocket {

    private static final Logger log = LoggerFactory.getLogger(GuardedServerSocket.class);
    private static final long LOG_INTERVAL_MS = 10_000;

    private final TcpLimits limits;
    private final Set<TrackedSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong evicted = new AtomicLong();
    private volatile long lastLog;

    public GuardedServerSocket(int port, int backlog, InetAddress bindAddress, TcpLimits limits) throws IOException {
        super(port, backlog, bindAddress);
        this.limits = limits;
    }

    @Override
    public Socket accept() throws IOException {
        TrackedSocket socket = new TrackedSocket(this, limits);
        implAccept(socket);
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()));
        InetAddress peer = socket.getInetAddress();
        long fromPeer = open.stream().filter(s -> peer.equals(s.getInetAddress())).count();
        if (fromPeer >= limits.maxPerAddress()) {
            evictQuietest(s -> peer.equals(s.getInetAddress()), "per-address");
        } else if (open.size() >= limits.maxConnections()) {
            evictQuietest(s -> true, "total");
        }
        open.add(socket);
        return socket;
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Connections closed to make room for newer ones, since start. */
    public long evictedConnections() {
        return evicted.get();
    }

    void closed(TrackedSocket socket) {
        open.remove(socket);
    }

    private void evictQuietest(java.util.function.Predicate<TrackedSocket> among, String limit) {
        Optional<TrackedSocket> quietest = open.stream().filter(among).min(Comparator.comparingLong(TrackedSocket::lastActivity));
        if (quietest.isPresent()) {
            open.remove(quietest.get());
            quietest.get().closeQuietly();
            long total = evicted.incrementAndGet();
            long now = System.currentTimeMillis();
            if (now - lastLog >= LOG_INTERVAL_MS) {
                lastLog = now;
                log.warn("SIP TCP connection limit reached on port {} ({} total, {} per address): closed the quietest "
                        + "connection ({} limit); {} closed so far", getLocalPort(), limits.maxConnections(), limits.maxPerAddress(),
                        limit, total);
            }
        }
    }
}
