package io.siplane.sip.netty;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * The messages of one TCP or TLS connection (framed by {@link SipStreamDecoder}), inbound or outbound: registered in
 * {@link Connections} while open, closed when idle past {@code TCP_IDLE_TIMEOUT}. An answer goes back on this
 * connection while it is open, else the way RFC 3261 §18.2.2 says (a new connection to the Via's address).
 */
final class StreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);

    private final InboundMessages inbound;
    private final Connections connections;
    private final NettySender sender;
    private final Transport transport;
    private SourceAddress source;

    StreamHandler(InboundMessages inbound, Connections connections, NettySender sender, Transport transport) {
        this.inbound = inbound;
        this.connections = connections;
        this.sender = sender;
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        source = new SourceAddress(transport, remote.getAddress().getHostAddress(), remote.getPort());
        connections.add(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connections.remove(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof byte[] bytes)) {
            return;
        }
        Channel channel = ctx.channel();
        IncomingRequest.Responder responder = response -> {
            if (channel.isActive()) {
                channel.writeAndFlush(Unpooled.wrappedBuffer(NettySender.encode(response, transport)));
            } else {
                sender.sendResponse(response);
            }
        };
        inbound.received(bytes, source, responder, raw -> channel.writeAndFlush(Unpooled.wrappedBuffer(raw)));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            // nothing received, not even a keep-alive, for the idle timeout
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing SIP {} connection from {}: {}", transport.token(), source, cause.toString());
        ctx.close();
    }
}
