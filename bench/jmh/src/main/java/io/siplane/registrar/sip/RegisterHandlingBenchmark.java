package io.siplane.registrar.sip;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Request;

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
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import gov.nist.javax.sip.parser.StringMsgParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.bench.BenchRedis;
import io.siplane.location.Subscriber;
import io.siplane.registrar.RegistrarProperties;
import io.siplane.registrar.auth.SubscriberHa1Source;
import io.siplane.registrar.register.RegisterMetrics;
import io.siplane.registrar.register.RegisterOutcome;
import io.siplane.registrar.register.Registrar;
import io.siplane.sip.Transport;
import io.siplane.sip.digest.DigestAlgorithm;
import io.siplane.sip.digest.DigestAuthenticator;
import io.siplane.sip.digest.DigestProperties;
import io.siplane.sip.message.SourceAddress;

/**
 * REGISTER handling without the network: the datagram's bytes parsed by the RI's parser, read into a
 * {@code RegisterRequest}, then RFC 3261 §10.3 processing — digest check (HA1 from the store) and the binding written
 * through location-client to a real Redis. Building and sending the response is not included.
 *
 * <ul>
 *   <li>{@code challenge}: a REGISTER without credentials (parse, read, a fresh nonce; no Redis);</li>
 *   <li>{@code authenticated}: a REGISTER with valid MD5 credentials, all the way to the stored binding;</li>
 *   <li>{@code parse}: the parser alone; {@code buildRequest}: the benchmark's own cost of writing a request with its
 *   digest response (included in the two above).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RegisterHandlingBenchmark {

    static final String DOMAIN = "siplane.test";
    static final int USERS = 1000;

    @State(Scope.Benchmark)
    public static class Server {
        BenchRedis redis;
        Registrar registrar;
        DigestAuthenticator authenticator;
        RegisterRequestReader reader;
        String[] ha1 = new String[USERS];
        SourceAddress source = new SourceAddress(Transport.UDP, "127.0.0.1", 7071);

        @Setup(Level.Trial)
        public void setUp() {
            redis = new BenchRedis();
            for (int i = 0; i < USERS; i++) {
                String user = user(i);
                redis.store().deleteSubscriber(io.siplane.location.AddressOfRecord.of(user, DOMAIN));
                Subscriber s = Subscriber.withPassword(user, DOMAIN, ("pw-" + user).toCharArray(), Instant.now());
                redis.store().createSubscriber(s);
                ha1[i] = s.ha1Md5();
            }
            authenticator = new DigestAuthenticator(DigestProperties.withSecret("bench-nonce-secret-0123456789"),
                    DigestAuthenticator.secretBytes("bench-nonce-secret-0123456789"), new SubscriberHa1Source(redis.store()),
                    Clock.systemUTC());
            RegistrarProperties properties = new RegistrarProperties(List.of(DOMAIN), true, 60, 7200, 3600,
                    Duration.ofSeconds(5), List.of());
            StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("authenticator", authenticator));
            registrar = new Registrar(properties, redis.store(), beans.getBeanProvider(DigestAuthenticator.class),
                    new RegisterMetrics(new SimpleMeterRegistry()));
            reader = new RegisterRequestReader(new io.siplane.sip.message.ClientAddressResolver(List.of()));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            redis.close();
        }
    }

    /** Per thread: its own nonce (nonce-counts must rise per nonce) and request counter. */
    @State(Scope.Thread)
    public static class Client {
        String nonce;
        long nc;
        long sequence;
        final StringMsgParser parser = new StringMsgParser();

        @Setup(Level.Iteration)
        public void newNonce(Server r) {
            nonce = r.authenticator.challenges(DOMAIN, false).get(0).nonce();
            nc = 0;
        }

        byte[] next(Server r, boolean withCredentials) {
            long n = ++sequence;
            int u = (int) (n % USERS);
            String user = user(u);
            String auth = "";
            if (withCredentials) {
                String ncHex = String.format("%08x", ++nc);
                String response = DigestAlgorithm.MD5.response(r.ha1[u], "REGISTER", "sip:" + DOMAIN, nonce, ncHex, "c0ffee", "auth");
                auth = "Authorization: Digest username=\"" + user + "\",realm=\"" + DOMAIN + "\",nonce=\"" + nonce
                        + "\",uri=\"sip:" + DOMAIN + "\",response=\"" + response + "\",algorithm=MD5,cnonce=\"c0ffee\",qop=auth,nc="
                        + ncHex + "\r\n";
            }
            return ("REGISTER sip:" + DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:7071;branch=z9hG4bK-bench-" + Thread.currentThread().getId() + "-" + n + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:" + user + "@" + DOMAIN + ">;tag=" + n + "\r\n"
                    + "To: <sip:" + user + "@" + DOMAIN + ">\r\n"
                    + "Call-ID: bench-" + Thread.currentThread().getId() + "-" + n + "@127.0.0.1\r\n"
                    + "CSeq: 2 REGISTER\r\n"
                    + "Contact: <sip:" + user + "@127.0.0.1:7071;transport=UDP>\r\n"
                    + auth
                    + "Expires: 3600\r\n"
                    + "User-Agent: jmh\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    static String user(int i) {
        return String.format("jmh%06d", i);
    }

    private static RegisterOutcome handle(Server r, Client c, byte[] datagram) throws Exception {
        Request request = (Request) c.parser.parseSIPMessage(datagram, true, false, null);
        return r.registrar.process(r.reader.read(request, r.source));
    }

    @Benchmark
    public RegisterOutcome challenge(Server r, Client c) throws Exception {
        RegisterOutcome outcome = handle(r, c, c.next(r, false));
        if (!(outcome instanceof RegisterOutcome.Challenge)) {
            throw new IllegalStateException("expected a challenge, got " + outcome);
        }
        return outcome;
    }

    @Benchmark
    public RegisterOutcome authenticated(Server r, Client c) throws Exception {
        RegisterOutcome outcome = handle(r, c, c.next(r, true));
        if (!(outcome instanceof RegisterOutcome.Registered)) {
            throw new IllegalStateException("expected the binding to be stored, got " + outcome);
        }
        return outcome;
    }

    @Benchmark
    public Object parse(Server r, Client c) throws Exception {
        return c.parser.parseSIPMessage(c.next(r, true), true, false, null);
    }

    @Benchmark
    public byte[] buildRequest(Server r, Client c) {
        return c.next(r, true);
    }
}
