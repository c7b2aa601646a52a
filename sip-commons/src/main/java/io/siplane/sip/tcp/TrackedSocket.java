package io.siplane.sip.tcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * An accepted connection that knows when it was last heard from and reads through a {@link MessageClock}: its
 * reads time out when it has been idle too long, or when a message it started has taken too long.
 */
final class TrackedSocket extends Socket {

    private final GuardedServerSocket owner;
    private final TcpLimits limits;
    private final MessageClock clock = new MessageClock();
    private volatile long lastActivity = System.nanoTime();
    private InputStream in;

    TrackedSocket(GuardedServerSocket owner, TcpLimits limits) {
        this.owner = owner;
        this.limits = limits;
    }

    long lastActivity() {
        return lastActivity;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Guarded(super.getInputStream());
        }
        return in;
    }

    @Override
    public synchronized void close() throws IOException {
        owner.closed(this);
        super.close();
    }

    void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // evicting: it is going away either way
        }
    }

    private final class Guarded extends FilterInputStream {

        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long now = System.nanoTime();
            long left = clock.inMessage() ? limits.messageTimeout().toNanos() - (now - clock.messageStarted()) : limits.idleTimeout().toNanos();
            if (left <= 0) {
                throw new SocketTimeoutException("SIP message not complete within " + limits.messageTimeout().toMillis() + " ms");
            }
            setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            int n;
            try {
                n = super.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException(clock.inMessage()
                        ? "SIP message not complete within " + limits.messageTimeout().toMillis() + " ms"
                        : "TCP connection idle for " + limits.idleTimeout().toMillis() + " ms");
            }
            if (n > 0) {
                lastActivity = System.nanoTime();
                clock.feed(b, off, n, lastActivity);
            }
            return n;
        }
    }
}
