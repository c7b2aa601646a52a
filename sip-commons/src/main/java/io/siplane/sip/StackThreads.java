package io.siplane.sip;

import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.SipStack;

/**
 * Creating and stopping a JAIN-SIP stack so that nothing is left running.
 *
 * <p>The RI starts a non-daemon {@code EventScannerThread} per stack when the stack object is created and never
 * wakes it on {@code stop()}: it stays parked forever and keeps the JVM alive. We note which scanner thread our
 * stack created (stack creation is serialised on the {@link SipFactory}) and interrupt exactly that one after
 * stopping, so other stacks in the same JVM are untouched.
 */
public final class StackThreads {

    static final String EVENT_SCANNER_THREAD = "EventScannerThread";

    private StackThreads() {
    }

    /** A new stack and the scanner thread(s) its creation started. */
    public record Created(SipStack stack, Set<Thread> scannerThreads) {
    }

    public static Created create(Properties properties) {
        SipFactory factory = SipFactory.getInstance();
        synchronized (factory) {
            factory.setPathName("gov.nist");
            Set<Thread> before = scannerThreads();
            try {
                SipStack stack = factory.createSipStack(properties);
                Set<Thread> mine = new HashSet<>(scannerThreads());
                mine.removeAll(before);
                return new Created(stack, Set.copyOf(mine));
            } catch (PeerUnavailableException e) {
                throw new IllegalStateException("cannot create the SIP stack: " + e.getMessage(), e);
            }
        }
    }

    /** Stops the stack (about 2 s in the RI) and ends its event scanner thread. */
    public static void stop(SipStack stack, Set<Thread> scannerThreads) {
        try {
            stack.stop();
        } finally {
            scannerThreads.forEach(Thread::interrupt);
        }
    }

    static Set<Thread> scannerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> EVENT_SCANNER_THREAD.equals(t.getName()))
                .collect(Collectors.toSet());
    }
}
