package io.siplane.gateway.sip;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.gateway.GatewayProperties;
import io.siplane.gateway.flood.FloodGuard;
import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.gateway.membership.TargetPool;
import io.siplane.gateway.membership.TargetSpec;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.Transport;
import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.message.Vias;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.IncomingResponse;
import io.siplane.sip.transport.NextHop;
import io.siplane.sip.transport.SipSender;

/**
 * The gateway's relay without a network: the bytes of a message → the RI's parser → the gateway's chain (or the
 * response relay) → a {@link SipSender} that encodes the outgoing message to bytes, as a transport would, and keeps
 * it. {@code inviteForwarded}: an INVITE from a user agent to a proxy replica (double Record-Route, Via, branch
 * hash, flow token); {@code messageForwarded}: a MESSAGE (no Record-Route); {@code responseRelayed}: the 200 of a
 * forwarded request back to the user agent. Each op is one message in and one out: the per-message CPU of the
 * gateway's own work, parse and encode included, without socket I/O.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RelayBenchmark {

    static final String GATEWAY = "127.0.0.1";
    static final int GATEWAY_PORT = 5060;
    static final SourceAddress USER_AGENT = new SourceAddress(Transport.UDP, "192.0.2.10", 7072);
    static final SourceAddress PROXY = new SourceAddress(Transport.UDP, "127.0.0.1", 5080);

    static final byte[] INVITE = ("INVITE sip:uas@siplane.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:7072;branch=z9hG4bK-4711-1-0\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"sipp caller\" <sip:caller@siplane.test>;tag=4711SIPpTag001\r\n"
            + "To: <sip:uas@siplane.test>\r\n"
            + "Call-ID: 1-4711@192.0.2.10\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:caller@192.0.2.10:7072;transport=UDP>\r\n"
            + "User-Agent: sipp\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 129\r\n\r\n"
            + "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").getBytes(StandardCharsets.UTF_8);

    static final byte[] MESSAGE = ("MESSAGE sip:uas@siplane.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:7072;branch=z9hG4bK-4711-2-0\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:caller@siplane.test>;tag=4711SIPpTag002\r\n"
            + "To: <sip:uas@siplane.test>\r\n"
            + "Call-ID: 2-4711@192.0.2.10\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 5\r\n\r\n"
            + "hello").getBytes(StandardCharsets.UTF_8);

    static final byte[] OK = ("SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKgw0123456789abcdef01234567;rport=5060;received=127.0.0.1\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:7072;branch=z9hG4bK-4711-2-0;rport=7072;received=192.0.2.10\r\n"
            + "From: <sip:caller@siplane.test>;tag=4711SIPpTag002\r\n"
            + "To: <sip:uas@siplane.test>;tag=uas-1\r\n"
            + "Call-ID: 2-4711@192.0.2.10\r\n"
            + "CSeq: 1 MESSAGE\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);

    /** Encodes what it is given, as a transport would before writing, and keeps the bytes. */
    static final class EncodingSender implements SipSender {
        byte[] last;

        @Override
        public void sendRequest(Request request, NextHop hop) {
            last = ((SIPMessage) request).encodeAsBytes(hop.transport().token());
        }

        @Override
        public void sendResponse(Response response) {
            last = ((SIPMessage) response).encodeAsBytes("udp");
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.UDP, Transport.TCP);
        }
    }

    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    final StringMsgParser parser = new StringMsgParser();
    final EncodingSender sender = new EncodingSender();
    final SipFactories factories = SipFactories.get();
    RequestChain chain;
    ResponseRelay responses;
    long ops;
    long cpuAtStart;

    /**
     * This thread's CPU time per op over the iteration, printed beside JMH's wall-clock figure: on a shared machine
     * (other JVMs runnable on the same cores) the wall clock counts the time this thread waited for a core.
     */
    @Setup(Level.Iteration)
    public void startCpuClock() {
        ops = 0;
        cpuAtStart = CPU.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void printCpuPerOp() {
        long cpu = CPU.getCurrentThreadCpuTime() - cpuAtStart;
        if (ops > 0) {
            System.out.printf("  [thread CPU %.1f us/op over %d ops]%n", cpu / 1000.0 / ops, ops);
        }
    }

    @Setup
    public void setUp() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SipProperties sip = bind("sip", SipProperties.class, Map.of("sip.bind-address", GATEWAY, "sip.port", String.valueOf(GATEWAY_PORT)));
        GatewayProperties properties = bind("gateway", GatewayProperties.class, Map.of(
                "gateway.domains", "siplane.test",
                "gateway.proxy.targets", PROXY.address() + ":" + PROXY.port(), "gateway.proxy.default-port", "5080",
                "gateway.registrar.targets", "127.0.0.1:5070", "gateway.registrar.default-port", "5070",
                "gateway.flow-token-secret", "bench-flow-token-secret-0123456789",
                "gateway.flood.enabled", "false"));
        GatewayAddresses addresses = GatewayAddresses.of(sip, properties.internalAddress(), properties.aliases());
        TargetPool.Settings settings = new TargetPool.Settings(1, 1, Duration.ofSeconds(64), 200_000, Duration.ofSeconds(30));
        TargetPool proxies = new TargetPool(PoolRole.PROXY, TargetSpec.parse(properties.proxy().targets(), 5080), List::of,
                CircuitBreakerRegistry.ofDefaults(), meters, settings);
        TargetPool registrars = new TargetPool(PoolRole.REGISTRAR, TargetSpec.parse(properties.registrar().targets(), 5070),
                List::of, CircuitBreakerRegistry.ofDefaults(), meters, settings);
        Membership membership = new Membership(List.of(registrars, proxies), target -> CompletableFuture.completedFuture(200),
                Transport.UDP, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(500));
        membership.resolveAndProbeNewcomers();
        if (proxies.targets().stream().noneMatch(Target::acceptsNew)) {
            throw new IllegalStateException("the proxy replica is not in rotation: " + proxies.describe());
        }
        FloodGuard flood = new FloodGuard(false, 50, 100, List.of(), 1000, meters, System::nanoTime);
        FlowTokens tokens = FlowTokens.withSecret(properties.flowTokenSecret());
        chain = GatewayChain.build(sender, addresses, properties, membership, flood, tokens, meters);
        responses = new ResponseRelay(sender, addresses, new OptionsProber(sender, addresses, Transport.UDP), membership, meters);
        // fail at set-up, not in a figure, if the relay does not do what is measured
        inviteForwarded();
        expectForwardedTo("INVITE sip:uas@siplane.test", "Record-Route: <sip:");
        messageForwarded();
        expectForwardedTo("MESSAGE sip:uas@siplane.test", "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKgw");
        responseRelayed();
        expectForwardedTo("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.10:7072", "");
    }

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
    }

    private void expectForwardedTo(String start, String contains) {
        String sent = sender.last == null ? "" : new String(sender.last, StandardCharsets.UTF_8);
        if (!sent.startsWith(start) || !sent.contains(contains)) {
            throw new IllegalStateException("the relay did not forward as expected:\n" + sent);
        }
        sender.last = null;
    }

    @Benchmark
    public byte[] inviteForwarded() throws Exception {
        return forward(INVITE);
    }

    @Benchmark
    public byte[] messageForwarded() throws Exception {
        return forward(MESSAGE);
    }

    @Benchmark
    public byte[] responseRelayed() throws Exception {
        Response response = (Response) parser.parseSIPMessage(OK, true, false, null);
        responses.onResponse(new IncomingResponse(response, PROXY));
        ops++;
        return sender.last;
    }

    private byte[] forward(byte[] bytes) throws Exception {
        Request request = (Request) parser.parseSIPMessage(bytes, true, false, null);
        Vias.applyReceived(request, USER_AGENT);
        chain.handle(new IncomingRequest(request, USER_AGENT, response -> sender.sendResponse(response), factories, "Siplane"));
        ops++;
        return sender.last;
    }
}
