package io.siplane.testsupport.torture;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The long-lived threads of a JAIN-SIP stack in this JVM (the services under test run in-process): the listening
 * points' reader threads ({@code MessageProcessorThread-UDP-127.0.0.1/5070}) and the UDP worker pool
 * ({@code siplane-5070-1-UDPMessageChannelThread-3}), or the Netty engine's event loops ({@code sip-netty-5070-1-2}).
 * If one dies, the port goes deaf or slower: it must not happen
 * whatever arrives.
 */
public final class StackThreads {

    private StackThreads() {
    }

    /** The stack threads of the endpoint listening on {@code port}, alive now. */
    public static Set<Thread> of(int port) {
        String processor = "/" + port;
        String pool = "-" + port + "-";
        String eventLoop = "sip-netty-" + port + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> (t.getName().startsWith("MessageProcessorThread-") && t.getName().endsWith(processor))
                        || (t.getName().contains(pool) && t.getName().contains("UDPMessageChannelThread"))
                        || t.getName().startsWith(eventLoop))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Threads serving one TCP connection each (the RI's reader and parser threads), for every stack in the JVM. */
    public static int tcpConnectionThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("TCPMessageChannelThread") || t.getName().startsWith("PipelineThread"))
                .count();
    }

    public static String names(Set<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().collect(Collectors.joining(", "));
    }
}
