package io.siplane.sip;

import java.io.IOException;
import java.net.InetAddress;

import javax.sip.ListeningPoint;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.BoundedUdpMessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.TcpGuards;

/**
 * JAIN-SIP {@code MESSAGE_PROCESSOR_FACTORY}: the RI's processors, except UDP which gets a
 * {@link BoundedUdpMessageProcessor} holding at most {@value #MAX_UDP_QUEUE_PROPERTY} queued datagrams, and TCP whose
 * listening socket keeps its connections within {@link io.siplane.sip.tcp.TcpLimits}.
 */
public class BoundedMessageProcessorFactory implements MessageProcessorFactory {

    /** Stack property: how many received datagrams may wait for a worker thread. */
    public static final String MAX_UDP_QUEUE_PROPERTY = "io.siplane.sip.MAX_UDP_QUEUE";
    static final int DEFAULT_MAX_UDP_QUEUE = 2000;

    private final OIOMessageProcessorFactory standard = new OIOMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack sipStack, InetAddress ipAddress, int port,
            String transport) throws IOException {
        if (ListeningPoint.TCP.equalsIgnoreCase(transport) && sipStack instanceof SipStackImpl impl) {
            // connection limit with eviction, idle and slow-message timeouts (io.siplane.sip.tcp)
            TcpGuards.install(sipStack, impl.getConfigurationProperties());
        }
        if (!ListeningPoint.UDP.equalsIgnoreCase(transport)) {
            return standard.createMessageProcessor(sipStack, ipAddress, port, transport);
        }
        int maxQueued = DEFAULT_MAX_UDP_QUEUE;
        if (sipStack instanceof SipStackImpl impl) {
            String configured = impl.getConfigurationProperties().getProperty(MAX_UDP_QUEUE_PROPERTY);
            if (configured != null) {
                maxQueued = Integer.parseInt(configured);
            }
        }
        return BoundedUdpMessageProcessor.create(ipAddress, sipStack, port, maxQueued);
    }
}
