package io.siplane.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.BoundedUdpMessageProcessor;
import gov.nist.javax.sip.stack.TransactionCensus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.siplane.sip.message.SipResponses;
import io.siplane.sip.parser.GuardedMessageParserFactory;
import io.siplane.sip.shutdown.SipDrain;
import io.siplane.sip.transport.HopRouter;
import io.siplane.sip.transport.ProviderSender;

/**
 * One JAIN-SIP stack with a listening point and a {@link SipProvider} per transport, started and stopped with the
 * Spring context. Stopping leaves no stack thread behind.
 *
 * <p>Each instance gets a unique {@code STACK_NAME}: {@link SipFactory} caches stacks by name and would hand back an
 * old, possibly stopped, stack for a reused one.
 *
 * <p>Stopping drains first (see {@link SipDrain}): probes are answered 503 until the probers know, new requests are
 * then refused with 503, and the stack stops once no transaction is in flight or at {@code sip.shutdown.drain-timeout}.
 */
public class SipEndpoint implements SmartLifecycle, SipListeningEndpoint {

    private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long DRAIN_POLL_MS = 50;

    private final SipProperties properties;
    private final SipListener listener;
    private final SipDrain drain;
    private final ProviderSender sender;
    private final SipFactories factories = SipFactories.get();
    private volatile SipStack stack;
    private volatile Map<Transport, SipProvider> providers = Map.of();
    private volatile Set<Thread> scannerThreads = Set.of();
    private volatile Set<Thread> readerThreads = Set.of();

    /** An endpoint that stops at once, without draining. */
    public SipEndpoint(SipProperties properties, SipListener listener) {
        this(properties, listener, SipDrain.none());
    }

    /** An endpoint that drains through {@code drain}, the same object its dispatcher admits requests with. */
    public SipEndpoint(SipProperties properties, SipListener listener, SipDrain drain) {
        this(properties, listener, drain, new ProviderSender());
    }

    /**
     * An endpoint that attaches its providers to {@code sender} when it starts: the sender is a bean of its own that
     * the handlers take, built before the dispatcher and this endpoint (no construction cycle).
     */
    public SipEndpoint(SipProperties properties, SipListener listener, SipDrain drain, ProviderSender sender) {
        this.properties = properties;
        this.listener = listener;
        this.drain = drain;
        this.sender = sender;
    }

    /** The sender over this endpoint's providers (usable once started). */
    public ProviderSender sender() {
        return sender;
    }

    @Override
    public synchronized void start() {
        if (stack != null) {
            return;
        }
        String name = properties.stackName() + "-" + properties.port() + "-" + INSTANCES.incrementAndGet();
        if (properties.transports().contains(Transport.TLS)) {
            TlsStores.check(properties.tls());
        }
        StackThreads.Created created = StackThreads.create(stackProperties(name));
        SipStack newStack = created.stack();
        Map<Transport, SipProvider> newProviders = new EnumMap<>(Transport.class);
        try {
            for (Transport transport : properties.transports()) {
                ListeningPoint lp = newStack.createListeningPoint(properties.bindAddress(), properties.port(transport), transport.token());
                SipProvider provider = newStack.createSipProvider(lp);
                provider.addSipListener(listener);
                newProviders.put(transport, provider);
            }
            newStack.start();
        } catch (Exception e) {
            StackThreads.stop(newStack, created.scannerThreads());
            throw new IllegalStateException("cannot listen for SIP on " + properties.bindAddress() + ":" + properties.port()
                    + " " + properties.transports() + ": " + e.getMessage(), e);
        }
        this.stack = newStack;
        this.providers = Collections.unmodifiableMap(newProviders);
        this.scannerThreads = created.scannerThreads();
        this.readerThreads = readerThreads();
        sender.attach(newProviders);
        log.info("SIP listening on {}:{} ({}){}, advertised as {}:{}, stack {}", properties.bindAddress(), properties.port(),
                properties.transports().stream().map(Transport::token).sorted().collect(Collectors.joining(",")),
                properties.transports().contains(Transport.TLS) ? ", TLS on " + properties.tls().port() : "",
                properties.advertisedHost(), properties.effectiveAdvertisedPort(), name);
    }

    @Override
    public synchronized void stop() {
        SipStack current = stack;
        if (current == null) {
            return;
        }
        drain(current);
        stack = null;
        sender.detach();
        for (SipProvider provider : providers.values()) {
            try {
                provider.removeSipListener(listener);
                current.deleteSipProvider(provider);
            } catch (Exception e) {
                log.debug("deleting SIP provider: {}", e.toString());
            }
        }
        providers = Map.of();
        readerThreads = Set.of();
        StackThreads.stop(current, scannerThreads);
        log.info("SIP stopped on {}:{}", properties.bindAddress(), properties.port());
    }

    @Override
    public boolean isRunning() {
        return stack != null;
    }

    @Override
    public boolean isDraining() {
        return drain.draining();
    }

    /** Transactions waiting for a final response, plus requests inside a handler. */
    public int inFlight() {
        SipStack current = stack;
        return current == null ? 0 : TransactionCensus.inFlight(current) + drain.handlersRunning();
    }

    private void drain(SipStack current) {
        if (!drain.enabled()) {
            return;
        }
        drain.begin();
        log.info("SIP draining on {}:{}: probes answered 503{}, {} in flight, up to {} s",
                properties.bindAddress(), properties.port(),
                drain.probersNotTold().isEmpty() ? "" : ", new requests served until " + drain.probersNotTold() + " know",
                inFlight(), drain.properties().drainTimeout().toSeconds());
        long start = System.nanoTime();
        drain.awaitQuiet(() -> TransactionCensus.inFlight(current) + drain.handlersRunning(), DRAIN_POLL_MS);
        int left = TransactionCensus.inFlight(current);
        if (left > 0) {
            int answered = TransactionCensus.answerPending(current, this::drainAnswer);
            log.warn("SIP drain timeout after {} ms: {} transactions still in flight, {} answered 503",
                    (System.nanoTime() - start) / 1_000_000, left, answered);
        } else {
            log.info("SIP drained in {} ms", (System.nanoTime() - start) / 1_000_000);
        }
    }

    private Response drainAnswer(Request request) {
        return drain.withRetryAfter(SipResponses.create(factories.messages(), request, Response.SERVICE_UNAVAILABLE));
    }

    /**
     * Whether the stack still reads from every listening point. The RI's UDP reader is a single thread that dies
     * on an Error (an OutOfMemoryError under a flood, say), leaving a port that accepts datagrams and answers
     * nothing: health reports that so the service gets restarted.
     */
    @Override
    public boolean isListening() {
        Set<Thread> readers = readerThreads;
        return isRunning() && readers.size() >= providers.size() && readers.stream().allMatch(Thread::isAlive);
    }

    /** UDP datagrams dropped because the receive queue was full (overload), since start. */
    @Override
    public long droppedUdpMessages() {
        long total = 0;
        for (SipProvider provider : providers.values()) {
            for (ListeningPoint lp : provider.getListeningPoints()) {
                if (lp instanceof ListeningPointImpl impl && impl.getMessageProcessor() instanceof BoundedUdpMessageProcessor udp) {
                    total += udp.droppedMessages();
                }
            }
        }
        return total;
    }

    private Set<Thread> readerThreads() {
        // the RI names them MessageProcessorThread-UDP-<address>/<port>, …-TCP-…, …-TLS-…
        Set<String> suffixes = properties.transports().stream().map(t -> "/" + properties.port(t)).collect(Collectors.toSet());
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("MessageProcessorThread-")
                        && suffixes.stream().anyMatch(t.getName()::endsWith))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Late in start-up (after the store clients), early in shutdown: stop taking requests first. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    /** The provider that sends and receives over {@code transport}. */
    public SipProvider provider(Transport transport) {
        SipProvider p = providers.get(transport);
        if (p == null) {
            throw new IllegalStateException("no SIP provider for " + transport + " (running: " + isRunning() + ")");
        }
        return p;
    }

    /** The provider for a Via or URI transport token, if this endpoint listens on it. */
    public Optional<SipProvider> provider(String transportToken) {
        return Transport.fromToken(transportToken).map(providers::get);
    }

    @Override
    public List<Transport> transports() {
        return new ArrayList<>(providers.keySet());
    }

    @Override
    public SipProperties properties() {
        return properties;
    }

    public SipFactories factories() {
        return factories;
    }

    private Properties stackProperties(String name) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", String.valueOf(properties.traceLevel()));
        // one stable logger for every stack (the RI names it after STACK_NAME otherwise): configure "gov.nist"
        p.setProperty("gov.nist.javax.sip.LOG4J_LOGGER_NAME", "gov.nist.javax.sip.stack");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", String.valueOf(properties.threadPoolSize()));
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(properties.maxMessageSize()));
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", BoundedMessageProcessorFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", GuardedMessageParserFactory.class.getName());
        p.setProperty(BoundedMessageProcessorFactory.MAX_UDP_QUEUE_PROPERTY, String.valueOf(properties.maxUdpQueue()));
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", String.valueOf(properties.congestionTimeout().toMillis()));
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", String.valueOf(properties.maxTcpConnections()));
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", String.valueOf(properties.udpBufferSize()));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", String.valueOf(properties.udpBufferSize()));
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // a request carries the next hop its handler chose (HopRouter.sendTo); others route as RFC 3261 §8.1.2 says
        p.setProperty("javax.sip.ROUTER_PATH", HopRouter.class.getName());
        if (properties.transports().contains(Transport.TLS)) {
            p.putAll(TlsStores.stackProperties(properties.tls()));
        }
        p.putAll(properties.stackProperties());
        return p;
    }
}
