package io.siplane.sip.netty;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipListeningEndpoint;
import io.siplane.sip.SipProperties;
import io.siplane.sip.TlsStores;
import io.siplane.sip.Transport;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.shutdown.SipDrain;
import io.siplane.sip.tcp.TcpLimits;

/**
 * The Netty SIP engine ({@code sip.engine: netty}): one event loop group (one loop per core by default, epoll where
 * the OS has it, else NIO), UDP, TCP and TLS listening sockets on it, started and stopped with the Spring context.
 *
 * <p>A message is read, framed, parsed and run through the dispatcher and the service's chain on the event loop that
 * read it: no queue, no hand-off to a worker, no transaction table (the services on this engine are stateless).
 * With epoll every loop has a UDP socket of its own on the same port ({@code SO_REUSEPORT}: the kernel spreads the
 * datagrams), so the loops do not contend for one socket.
 *
 * <p>Stopping drains first as {@code SipEndpoint} does ({@link SipDrain}: probes and new requests get 503 until the
 * probers know and the handlers running are done, at most {@code sip.shutdown.drain-timeout}), then closes every
 * socket and connection and shuts the loops down: no thread is left.
 */
public final class NettySipEndpoint implements SmartLifecycle, SipListeningEndpoint {

    private static final Logger log = LoggerFactory.getLogger(NettySipEndpoint.class);
    private static final long DRAIN_POLL_MS = 20;

    private final SipProperties properties;
    private final SipRequestDispatcher dispatcher;
    private final SipDrain drain;
    private final NettySender sender;
    private final LongAdder dropped = new LongAdder();
    private volatile EventLoopGroup group;
    private volatile List<Channel> listening = List.of();
    private volatile List<Channel> udp = List.of();
    private volatile Connections connections;

    public NettySipEndpoint(SipProperties properties, SipRequestDispatcher dispatcher, SipDrain drain, NettySender sender) {
        this.properties = properties;
        this.dispatcher = dispatcher;
        this.drain = drain;
        this.sender = sender;
    }

    public NettySender sender() {
        return sender;
    }

    @Override
    public synchronized void start() {
        if (group != null) {
            return;
        }
        boolean epoll = Epoll.isAvailable();
        int loops = properties.netty().effectiveEventLoops();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup newGroup = new MultiThreadIoEventLoopGroup(loops,
                new DefaultThreadFactory("sip-netty-" + properties.port(), false), io);
        TcpLimits limits = TcpLimits.from(stackProperties());
        Connections newConnections = new Connections(limits);
        InboundMessages inbound = new InboundMessages(dispatcher, SipFactories.get(), properties.serverName());
        List<Channel> newUdp = new ArrayList<>();
        List<Channel> newListening = new ArrayList<>();
        try {
            Set<Transport> transports = properties.transports();
            if (transports.contains(Transport.UDP)) {
                Bootstrap udpBootstrap = new Bootstrap().group(newGroup)
                        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, properties.udpBufferSize())
                        .option(ChannelOption.SO_SNDBUF, properties.udpBufferSize())
                        // one byte more than the largest message: a longer datagram is seen as such and dropped whole
                        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(properties.maxMessageSize() + 1))
                        .handler(new DatagramHandler(inbound, properties.maxMessageSize(), dropped));
                if (epoll) {
                    udpBootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
                }
                for (int i = 0; i < (epoll ? loops : 1); i++) {
                    newUdp.add(udpBootstrap.bind(properties.bindAddress(), properties.port(Transport.UDP)).sync().channel());
                }
            }
            SslContext serverTls = null;
            SslContext clientTls = null;
            if (transports.contains(Transport.TLS)) {
                TlsStores.check(properties.tls());
                serverTls = serverTls(properties.tls());
                clientTls = clientTls(properties.tls());
            }
            for (Transport t : List.of(Transport.TCP, Transport.TLS)) {
                if (!transports.contains(t)) {
                    continue;
                }
                SslContext tls = t == Transport.TLS ? serverTls : null;
                ServerBootstrap server = new ServerBootstrap().group(newGroup)
                        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(streamPipeline(t, tls, null, limits, inbound, newConnections));
                newListening.add(server.bind(properties.bindAddress(), properties.port(t)).sync().channel());
            }
            Bootstrap client = new Bootstrap().group(newGroup)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.netty().connectTimeout().toMillis());
            SslContext clientContext = clientTls;
            NettySender.Connector connector = (transport, peer) -> client.clone()
                    .handler(streamPipeline(transport, transport == Transport.TLS ? clientContext : null, peer, limits,
                            inbound, newConnections))
                    .connect(peer);
            newListening.addAll(newUdp);
            this.group = newGroup;
            this.udp = List.copyOf(newUdp);
            this.listening = List.copyOf(newListening);
            this.connections = newConnections;
            sender.attach(new NettySender.Sockets(this.udp, newConnections, connector, Set.copyOf(EnumSet.copyOf(transports))));
        } catch (Exception e) {
            newListening.forEach(Channel::close);
            newUdp.forEach(Channel::close);
            newGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen for SIP on " + properties.bindAddress() + ":" + properties.port()
                    + " " + properties.transports() + ": " + e.getMessage(), e);
        }
        log.info("SIP listening on {}:{} ({}){} with Netty ({} event loops, {}), advertised as {}:{}", properties.bindAddress(),
                properties.port(), properties.transports().stream().map(Transport::token).sorted().collect(Collectors.joining(",")),
                properties.transports().contains(Transport.TLS) ? ", TLS on " + properties.tls().port() : "", loops,
                epoll ? "epoll" : "nio", properties.advertisedHost(), properties.effectiveAdvertisedPort());
    }

    private ChannelInitializer<SocketChannel> streamPipeline(Transport transport, SslContext tls, InetSocketAddress peer,
            TcpLimits limits, InboundMessages inbound, Connections registry) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    SslHandler ssl = peer == null ? tls.newHandler(ch.alloc())
                            : tls.newHandler(ch.alloc(), peer.getHostString(), peer.getPort());
                    ssl.setHandshakeTimeoutMillis(properties.tls().handshakeTimeout().toMillis());
                    ch.pipeline().addLast("tls", ssl);
                }
                ch.pipeline()
                        .addLast("idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                        .addLast("frame", new SipStreamDecoder(properties.maxMessageSize(), limits.messageTimeout().toNanos()))
                        .addLast("sip", new StreamHandler(inbound, registry, sender, transport));
            }
        };
    }

    private static SslContext serverTls(SipProperties.Tls tls) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(TlsStores.keyManagers(tls))
                .protocols(tls.protocols())
                .clientAuth(switch (tls.clientAuth()) {
                    case Disabled -> ClientAuth.NONE;
                    case Want -> ClientAuth.OPTIONAL;
                    case Enabled -> ClientAuth.REQUIRE;
                });
        if (tls.clientAuth() != SipProperties.Tls.ClientAuth.Disabled) {
            builder.trustManager(TlsStores.trustManagers(tls));
        }
        if (!tls.cipherSuites().isEmpty()) {
            builder.ciphers(tls.cipherSuites());
        }
        return builder.build();
    }

    /**
     * Towards next hops: peers are trusted through the trust store (else the key store), as the RI's stack did; no
     * host-name check (the RI made none: hops are addresses, RFC 5922's domain checks are not implemented).
     */
    private static SslContext clientTls(SipProperties.Tls tls) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .trustManager(TlsStores.trustManagers(tls))
                .keyManager(TlsStores.keyManagers(tls))
                .protocols(tls.protocols())
                .endpointIdentificationAlgorithm(null);
        if (!tls.cipherSuites().isEmpty()) {
            builder.ciphers(tls.cipherSuites());
        }
        return builder.build();
    }

    /** The TCP guards' settings as the RI path reads them ({@link TcpLimits#from}): one place for both engines. */
    private Properties stackProperties() {
        Properties p = new Properties();
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", String.valueOf(properties.maxTcpConnections()));
        p.putAll(properties.stackProperties());
        return p;
    }

    @Override
    public synchronized void stop() {
        EventLoopGroup current = group;
        if (current == null) {
            return;
        }
        drain();
        sender.detach();
        listening.forEach(c -> c.close().awaitUninterruptibly(1, TimeUnit.SECONDS));
        connections.closeAll();
        current.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        group = null;
        listening = List.of();
        udp = List.of();
        log.info("SIP stopped on {}:{}", properties.bindAddress(), properties.port());
    }

    private void drain() {
        if (!drain.enabled()) {
            return;
        }
        drain.begin();
        log.info("SIP draining on {}:{}: probes answered 503{}, up to {} s", properties.bindAddress(), properties.port(),
                drain.probersNotTold().isEmpty() ? "" : ", new requests served until " + drain.probersNotTold() + " know",
                drain.properties().drainTimeout().toSeconds());
        long start = System.nanoTime();
        // no transaction table here: what runs is what a handler holds on the loops
        drain.awaitQuiet(drain::handlersRunning, DRAIN_POLL_MS);
        log.info("SIP drained in {} ms ({} handlers still running)", (System.nanoTime() - start) / 1_000_000,
                drain.handlersRunning());
    }

    @Override
    public boolean isRunning() {
        return group != null;
    }

    @Override
    public boolean isListening() {
        EventLoopGroup current = group;
        List<Channel> sockets = listening;
        return current != null && !current.isShuttingDown() && !sockets.isEmpty() && sockets.stream().allMatch(Channel::isActive);
    }

    @Override
    public boolean isDraining() {
        return drain.draining();
    }

    @Override
    public List<Transport> transports() {
        return isRunning() ? List.copyOf(properties.transports()) : List.of();
    }

    @Override
    public SipProperties properties() {
        return properties;
    }

    /**
     * Datagrams longer than {@code sip.max-message-size}, dropped whole. Datagrams the kernel drops because the
     * socket's receive buffer is full (the loops are saturated) are not seen by the JVM: they show in the system's
     * UDP {@code RcvbufErrors} ({@code /proc/net/snmp}), not here.
     */
    @Override
    public long droppedUdpMessages() {
        return dropped.sum();
    }

    /** Open TCP and TLS connections, inbound and outbound. */
    public int connectionCount() {
        Connections current = connections;
        return current == null ? 0 : current.size();
    }

    /** Same phase as {@code SipEndpoint}: late in start-up (after the store clients), early in shutdown. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }
}
