package io.siplane.sip.netty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Frames SIP messages on a TCP or TLS byte stream (RFC 3261 §18.3): the header section up to the empty line, then
 * exactly Content-Length bytes of body. Emits each whole message as a {@code byte[]}.
 *
 * <ul>
 * <li>CRLFs before a start line are skipped (RFC 3261 §7.5); a double CRLF there is a keep-alive ping answered with
 *     one CRLF (RFC 5626 §3.5.1).</li>
 * <li>A request without Content-Length cannot be framed on a stream (RFC 3261 §18.3: it MUST be there): 400 and the
 *     connection is closed. Text that is no request at all is skipped, as the RI's parser skipped it, so the answers
 *     to the requests around it still go out.</li>
 * <li>A header section or a message longer than {@code sip.max-message-size}: 400 when it can be answered, and the
 *     connection is closed (the rest of the stream cannot be trusted to be framed).</li>
 * <li>A message must arrive whole within the message timeout from its first byte (slowloris): else the connection is
 *     closed.</li>
 * </ul>
 */
final class SipStreamDecoder extends ByteToMessageDecoder {

    private static final byte[] PONG = {'\r', '\n'};

    private final int maxMessageSize;
    private final long messageTimeoutNanos;
    private boolean inMessage;
    private boolean closing;
    private ScheduledFuture<?> messageTimer;

    SipStreamDecoder(int maxMessageSize, long messageTimeoutNanos) {
        this.maxMessageSize = maxMessageSize;
        this.messageTimeoutNanos = messageTimeoutNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        Connections.touch(ctx.channel());
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (closing) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (!inMessage) {
                if (!skipKeepAlives(ctx, in)) {
                    return;
                }
                if (!in.isReadable()) {
                    return;
                }
                inMessage = true;
                startTimer(ctx);
            }
            int start = in.readerIndex();
            int emptyLine = indexOfEmptyLine(in, start);
            if (emptyLine < 0) {
                if (in.readableBytes() > maxMessageSize / 2) {
                    reject(ctx, in, in.readableBytes(), "Message Too Large");
                }
                return;
            }
            int headerLength = emptyLine - start + 4;
            if (headerLength > maxMessageSize / 2) {
                reject(ctx, in, headerLength, "Message Too Large");
                return;
            }
            byte[] headers = new byte[headerLength];
            in.getBytes(start, headers);
            long contentLength = contentLength(headers);
            if (contentLength == MISSING || contentLength == MALFORMED) {
                byte[] answer = BadRequest.answer(headers, contentLength == MISSING ? "Bad Request (missing Content-Length)"
                        : "Bad Request (malformed Content-Length)");
                if (answer != null) {
                    rejectWith(ctx, in, answer);
                    return;
                }
                // not a request we could answer: skip it as garbage, the stream goes on
                in.skipBytes(headerLength);
                messageDone();
                continue;
            }
            if (headerLength + contentLength > maxMessageSize) {
                reject(ctx, in, headerLength, "Message Too Large");
                return;
            }
            if (in.readableBytes() < headerLength + contentLength) {
                return;
            }
            byte[] message = new byte[(int) (headerLength + contentLength)];
            in.readBytes(message);
            messageDone();
            // one message per call: the decoder hands it on before it looks at what follows (which may close)
            out.add(message);
            return;
        }
    }

    @Override
    public void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    /** Skips CRLFs, answering a ping; false when more bytes are needed to tell a ping from a lone CRLF. */
    private static boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            int r = in.readerIndex();
            int n = in.readableBytes();
            byte b = in.getByte(r);
            if (b != '\r' && b != '\n') {
                return true;
            }
            if (n >= 4 && b == '\r' && in.getByte(r + 1) == '\n' && in.getByte(r + 2) == '\r' && in.getByte(r + 3) == '\n') {
                // RFC 5626 §3.5.1: a CRLFCRLF ping gets a CRLF pong
                in.skipBytes(4);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
                continue;
            }
            if (b == '\r' && (n == 1 || (n == 2 && in.getByte(r + 1) == '\n')
                    || (n == 3 && in.getByte(r + 1) == '\n' && in.getByte(r + 2) == '\r'))) {
                return false;
            }
            in.skipBytes(1);
        }
        return true;
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, int headerBytes, String reason) {
        byte[] head = new byte[Math.min(headerBytes, in.readableBytes())];
        in.getBytes(in.readerIndex(), head);
        rejectWith(ctx, in, BadRequest.answer(head, reason));
    }

    /** Answers (when {@code answer} is not null) and closes: the rest of the stream cannot be framed. */
    private void rejectWith(ChannelHandlerContext ctx, ByteBuf in, byte[] answer) {
        in.skipBytes(in.readableBytes());
        closing = true;
        cancelTimer();
        if (answer == null) {
            ctx.close();
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (messageTimer == null) {
            messageTimer = ctx.executor().schedule(() -> {
                messageTimer = null;
                closing = true;
                ctx.close();
            }, messageTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void messageDone() {
        inMessage = false;
        cancelTimer();
    }

    private void cancelTimer() {
        if (messageTimer != null) {
            messageTimer.cancel(false);
            messageTimer = null;
        }
    }

    private static int indexOfEmptyLine(ByteBuf in, int from) {
        int end = in.writerIndex() - 3;
        for (int i = from; i < end; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    static final long MISSING = -1;
    static final long MALFORMED = -2;

    /** The first Content-Length ({@code l} compact form, RFC 3261 §7.3.3) of a header section, or MISSING/MALFORMED. */
    static long contentLength(byte[] headers) {
        String text = new String(headers, StandardCharsets.ISO_8859_1);
        int lineStart = text.indexOf('\n') + 1;
        while (lineStart > 0 && lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            int colon = text.indexOf(':', lineStart);
            if (colon > lineStart && colon < lineEnd) {
                String name = text.substring(lineStart, colon).strip();
                if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
                    String value = text.substring(colon + 1, lineEnd).strip();
                    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
                        return MALFORMED;
                    }
                    return Long.parseLong(value);
                }
            }
            lineStart = lineEnd + 1;
        }
        return MISSING;
    }
}
