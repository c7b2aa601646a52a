package io.siplane.sip.netty;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.siplane.sip.tcp.TcpLimits;

/**
 * The open TCP and TLS connections of an endpoint, inbound and outbound alike, keyed by the peer's {@code ip:port}:
 * a request or response for an address that has a connection goes down it (RFC 3261 §18.2.2; a client behind NAT is
 * reachable only over the connection it opened, RFC 5626 §5.3). Enforces {@link TcpLimits}' counts: a connection
 * beyond the total or per-address limit is kept and the quietest other one (of that address first) is closed, so
 * idle connections cannot lock new clients out.
 */
final class Connections {

    /** When the connection last received anything (a message, a keep-alive): the quietest is closed first. */
    static final AttributeKey<long[]> LAST_READ = AttributeKey.valueOf("siplane.lastRead");

    private final Map<String, Channel> byPeer = new ConcurrentHashMap<>();
    private final TcpLimits limits;

    Connections(TcpLimits limits) {
        this.limits = limits;
    }

    static String key(String ip, int port) {
        return ip + ":" + port;
    }

    static String key(Channel channel) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        return remote == null ? null : key(remote.getAddress().getHostAddress(), remote.getPort());
    }

    /** A connection is up: registered under its peer, the limits applied to the others. */
    void add(Channel channel) {
        String key = key(channel);
        if (key == null) {
            return;
        }
        touch(channel);
        byPeer.put(key, channel);
        String ip = ((InetSocketAddress) channel.remoteAddress()).getAddress().getHostAddress();
        int sameAddress = 0;
        for (Channel c : byPeer.values()) {
            if (ip.equals(peerIp(c))) {
                sameAddress++;
            }
        }
        if (sameAddress > limits.maxPerAddress()) {
            closeQuietest(channel, ip);
        }
        if (byPeer.size() > limits.maxConnections()) {
            closeQuietest(channel, null);
        }
    }

    void remove(Channel channel) {
        String key = key(channel);
        if (key != null) {
            byPeer.remove(key, channel);
        }
    }

    /** The open connection to {@code ip:port}, or {@code null}. */
    Channel find(String ip, int port) {
        Channel channel = byPeer.get(key(ip, port));
        return channel != null && channel.isActive() ? channel : null;
    }

    static void touch(Channel channel) {
        long[] last = channel.attr(LAST_READ).get();
        if (last == null) {
            channel.attr(LAST_READ).setIfAbsent(new long[] {System.nanoTime()});
        } else {
            // one writer (the channel's event loop); a stale read elsewhere only picks a slightly different victim
            last[0] = System.nanoTime();
        }
    }

    int size() {
        return byPeer.size();
    }

    void closeAll() {
        byPeer.values().forEach(Channel::close);
        byPeer.clear();
    }

    private void closeQuietest(Channel keep, String ip) {
        Channel quietest = null;
        long quietFor = -1;
        long now = System.nanoTime();
        for (Channel c : byPeer.values()) {
            if (c == keep || (ip != null && !ip.equals(peerIp(c)))) {
                continue;
            }
            long[] last = c.attr(LAST_READ).get();
            long age = last == null ? Long.MAX_VALUE : now - last[0];
            if (age > quietFor) {
                quietest = c;
                quietFor = age;
            }
        }
        if (quietest != null) {
            byPeer.remove(key(quietest), quietest);
            quietest.close();
        }
    }

    private static String peerIp(Channel channel) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        return remote == null ? null : remote.getAddress().getHostAddress();
    }
}
