package io.siplane.sip.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sip.SipException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gov.nist.javax.sip.message.SIPMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.siplane.sip.Transport;
import io.siplane.sip.transport.NextHop;
import io.siplane.sip.transport.SipSender;

/**
 * {@link SipSender} over the Netty engine's sockets. A bean that exists before the handlers; the
 * {@link NettySipEndpoint} attaches its sockets when it starts and detaches them when it stops.
 *
 * <ul>
 * <li>UDP leaves from a listening socket (the source port is ours, so answers and retransmissions come back to it),
 *     preferably the one of the calling event loop.</li>
 * <li>TCP and TLS reuse the open connection to the peer's {@code ip:port}, inbound or outbound (a NAT flow a client
 *     opened is the only way to it), else open one, bounded by {@code sip.netty.connect-timeout}.</li>
 * <li>Errors: what can be known at once (not started, a transport not listened on, no Via, an unresolvable host)
 *     throws {@link SipException}. A connect that fails later is asynchronous: the stateless caller has moved on, so
 *     it is logged at DEBUG and the message is lost like a dropped datagram (the sender's transaction retransmits or
 *     times out).</li>
 * </ul>
 */
public final class NettySender implements SipSender {

    private static final Logger log = LoggerFactory.getLogger(NettySender.class);

    /** How the endpoint opens a connection to a peer over TCP or TLS. */
    @FunctionalInterface
    interface Connector {
        ChannelFuture connect(Transport transport, InetSocketAddress peer);
    }

    /** What a running endpoint gives its sender. */
    record Sockets(List<Channel> udp, Connections connections, Connector connector, Set<Transport> transports) {
    }

    private static final Sockets NONE = new Sockets(List.of(), null, null, Set.of());

    private volatile Sockets sockets = NONE;
    private final Map<String, ChannelFuture> connecting = new ConcurrentHashMap<>();
    private final AtomicInteger nextUdp = new AtomicInteger();

    void attach(Sockets started) {
        this.sockets = started;
    }

    void detach() {
        this.sockets = NONE;
        connecting.clear();
    }

    @Override
    public Set<Transport> transports() {
        return sockets.transports();
    }

    @Override
    public void sendRequest(Request request, NextHop hop) throws SipException {
        Sockets s = started(hop.transport());
        InetSocketAddress peer = resolve(hop.host(), hop.port());
        send(s, hop.transport(), peer, encode(request, hop.transport()));
    }

    @Override
    public void sendResponse(Response response) throws SipException {
        ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (via == null) {
            throw new SipException("a response without Via cannot be sent");
        }
        Transport transport = Transport.fromToken(via.getTransport())
                .orElseThrow(() -> new SipException("unknown Via transport " + via.getTransport()));
        Sockets s = started(transport);
        send(s, transport, viaDestination(response), encode(response, transport));
    }

    private void send(Sockets s, Transport transport, InetSocketAddress peer, byte[] bytes) {
        if (transport == Transport.UDP) {
            udpSocket(s.udp()).writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), peer));
            return;
        }
        String ip = peer.getAddress().getHostAddress();
        Channel open = s.connections().find(ip, peer.getPort());
        if (open != null) {
            open.writeAndFlush(Unpooled.wrappedBuffer(bytes));
            return;
        }
        String key = transport.token() + ":" + Connections.key(ip, peer.getPort());
        ChannelFuture connect = connecting.computeIfAbsent(key, k -> {
            ChannelFuture f = s.connector().connect(transport, peer);
            f.addListener(done -> connecting.remove(k, f));
            return f;
        });
        connect.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                done.channel().writeAndFlush(Unpooled.wrappedBuffer(bytes));
            } else {
                log.debug("cannot connect over {} to {}: {}", transport.token(), peer, String.valueOf(done.cause()));
            }
        });
    }

    /** The calling event loop's own UDP socket when it has one (no cross-thread hand-off), else the next in turn. */
    private Channel udpSocket(List<Channel> udp) {
        for (Channel c : udp) {
            if (c.eventLoop().inEventLoop()) {
                return c;
            }
        }
        return udp.get(Math.floorMod(nextUdp.getAndIncrement(), udp.size()));
    }

    private Sockets started(Transport transport) throws SipException {
        Sockets s = sockets;
        if (!s.transports().contains(transport)) {
            throw new SipException("not listening on " + transport.token() + " (endpoint stopped or transport not configured)");
        }
        return s;
    }

    /**
     * Where a response goes by its top Via (RFC 3261 §18.2.2, RFC 3581 §4): {@code received} (else the sent-by host)
     * and {@code rport} (else the sent-by port, else the transport's default port).
     */
    static InetSocketAddress viaDestination(Response response) throws SipException {
        ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (via == null) {
            throw new SipException("a response without Via cannot be sent");
        }
        String host = via.getReceived() != null ? via.getReceived() : via.getHost();
        int port = via.getRPort() > 0 ? via.getRPort() : via.getPort() > 0 ? via.getPort()
                : "tls".equalsIgnoreCase(via.getTransport()) ? 5061 : 5060;
        return resolve(host, port);
    }

    private static InetSocketAddress resolve(String host, int port) throws SipException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetSocketAddress address = new InetSocketAddress(bare, port);
        if (address.isUnresolved()) {
            throw new SipException("cannot resolve " + host);
        }
        return address;
    }

    /** The wire form over {@code transport}, encoded once (the RI writes the transport into the top Via). */
    static byte[] encode(Message message, Transport transport) {
        SIPMessage sip = (SIPMessage) message;
        if (sip.getTopmostVia() == null) {
            return sip.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return sip.encodeAsBytes(transport.name());
    }
}
