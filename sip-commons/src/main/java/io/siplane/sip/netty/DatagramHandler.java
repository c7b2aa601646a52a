package io.siplane.sip.netty;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * A UDP socket's datagrams, one message each (RFC 3261 §18.3). The socket reads into buffers one byte longer than
 * {@code sip.max-message-size}, so a longer datagram shows as such and is dropped whole instead of being cut short
 * and parsed. CRLF keep-alives (RFC 5626 §4.4.1, sent as datagrams too) are ignored.
 */
@ChannelHandler.Sharable
final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private final InboundMessages inbound;
    private final int maxMessageSize;
    private final LongAdder dropped;

    DatagramHandler(InboundMessages inbound, int maxMessageSize, LongAdder dropped) {
        this.inbound = inbound;
        this.maxMessageSize = maxMessageSize;
        this.dropped = dropped;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        if (length > maxMessageSize) {
            dropped.increment();
            return;
        }
        if (keepAlive(content)) {
            return;
        }
        byte[] bytes = new byte[length];
        content.getBytes(content.readerIndex(), bytes);
        InetSocketAddress sender = packet.sender();
        Channel channel = ctx.channel();
        SourceAddress source = new SourceAddress(Transport.UDP, sender.getAddress().getHostAddress(), sender.getPort());
        // the cheapest way back: the socket the request came in on, to where its Via says (RFC 3261 §18.2.2, RFC 3581 §4)
        IncomingRequest.Responder responder = response -> channel.writeAndFlush(new DatagramPacket(
                Unpooled.wrappedBuffer(NettySender.encode(response, Transport.UDP)), NettySender.viaDestination(response)));
        inbound.received(bytes, source, responder,
                raw -> channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(raw), sender)));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // an ICMP error or a failed read: the socket stays open and goes on reading
    }

    private static boolean keepAlive(ByteBuf content) {
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
