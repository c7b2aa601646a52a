package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gov.nist.javax.sip.SipStackImpl;

/**
 * The RI's UDP reader with bounded memory (Siplane; lives in the RI's package because the worker threads and the
 * queue it feeds are package-level).
 *
 * <p>The stock {@link UDPMessageProcessor} allocates a buffer of the maximum message size for every datagram and
 * queues it without limit: under a flood the queue holds gigabytes, the reader thread dies of OutOfMemoryError and
 * the port goes deaf. Here each datagram is copied at its real size, and when {@code maxQueued} messages already
 * wait the new one is dropped: the client retransmits, and the server keeps answering what it can (load shedding,
 * as Kamailio does when its receive queue is full).
 */
public class BoundedUdpMessageProcessor extends UDPMessageProcessor {

    // named in our namespace: operators silence the RI's own "gov.nist" chatter, not this
    private static final Logger log = LoggerFactory.getLogger("io.siplane.sip.udp");
    private static final long DROP_LOG_INTERVAL_MS = 10_000;

    private final int maxQueued;
    private final int maxMessageSize;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private long lastOversizeLog;
    private long lastDropLog;

    /** A processor for the stack's UDP listening point, registered as the stack's UDP transport. */
    public static BoundedUdpMessageProcessor create(InetAddress ipAddress, SIPTransactionStack sipStack, int port, int maxQueued)
            throws IOException {
        BoundedUdpMessageProcessor processor = new BoundedUdpMessageProcessor(ipAddress, sipStack, port, maxQueued);
        sipStack.udpFlag = true;
        return processor;
    }

    private BoundedUdpMessageProcessor(InetAddress ipAddress, SIPTransactionStack sipStack, int port, int maxQueued)
            throws IOException {
        super(ipAddress, sipStack, port);
        this.maxQueued = maxQueued;
        int configured = sipStack.getMaxMessageSize();
        this.maxMessageSize = configured > 0 && configured < SipStackImpl.MAX_DATAGRAM_SIZE ? configured : SipStackImpl.MAX_DATAGRAM_SIZE;
    }

    /** Datagrams dropped because the queue was full, since start. */
    public long droppedMessages() {
        return dropped.get();
    }

    @Override
    public void run() {
        this.messageChannels = new LinkedList<>();
        for (int i = 0; i < sipStack.threadPoolSize; i++) {
            messageChannels.add(new UDPMessageChannel(sipStack, this,
                    ((SipStackImpl) sipStack).getStackName() + "-UDPMessageChannelThread-" + i));
        }
        // one byte more than the limit: a datagram that fills it was longer, and the socket cut it short without a
        // word; parsing the cut message could accept a request whose last headers are simply missing (RFC 3261 §18.3)
        byte[] buffer = new byte[maxMessageSize + 1];
        while (isRunning) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                sock.receive(packet);
                if (packet.getLength() > maxMessageSize) {
                    noteOversize();
                    continue;
                }
                if (messageQueue.size() >= maxQueued) {
                    noteDrop();
                    continue;
                }
                byte[] copy = Arrays.copyOf(buffer, packet.getLength());
                DatagramPacket queued = new DatagramPacket(copy, copy.length, packet.getAddress(), packet.getPort());
                messageQueue.offer(new DatagramQueuedMessageDispatch(queued, System.currentTimeMillis()));
            } catch (SocketTimeoutException e) {
                // only when a thread auditor sets a socket timeout: nothing to do
            } catch (SocketException e) {
                if (!isRunning) {
                    return;
                }
                log.warn("UDP receive on port {} failed, continuing: {}", getPort(), e.toString());
            } catch (IOException | RuntimeException e) {
                log.warn("UDP receive on port {} failed, continuing: {}", getPort(), e.toString());
            }
        }
    }

    private void noteOversize() {
        long total = oversize.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastOversizeLog >= DROP_LOG_INTERVAL_MS) {
            lastOversizeLog = now;
            log.warn("SIP datagram over sip.max-message-size ({} bytes) dropped on UDP port {}; {} so far", maxMessageSize,
                    getPort(), total);
        }
    }

    /** Datagrams dropped because they were longer than the maximum message size, since start. */
    public long oversizeDatagrams() {
        return oversize.get();
    }

    private void noteDrop() {
        long total = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastDropLog >= DROP_LOG_INTERVAL_MS) {
            lastDropLog = now;
            log.warn("SIP overload on UDP port {}: {} messages waiting, {} dropped so far (clients retransmit)",
                    getPort(), maxQueued, total);
        }
    }
}
