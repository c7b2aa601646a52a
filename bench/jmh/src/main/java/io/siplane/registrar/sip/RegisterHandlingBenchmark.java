package io.siplane.registrar.sip;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.bench.BenchRedis;
import io.siplane.location.Subscriber;
import io.siplane.location.cache.CachedSubscribers;
import io.siplane.location.redis.RedisGuard;
import io.siplane.location.redis.RedisNonceCounts;
import io.siplane.registrar.RegistrarProperties;
import io.siplane.registrar.auth.AuthenticationConfiguration;
import io.siplane.registrar.register.RegisterMetrics;
import io.siplane.registrar.register.Registrar;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.digest.DigestAlgorithm;
import io.siplane.sip.digest.DigestAuthenticator;
import io.siplane.sip.digest.DigestProperties;
import io.siplane.sip.digest.Ha1Source;
import io.siplane.sip.digest.SharedNonceCountStore;
import io.siplane.sip.digest.SharedNonceCounts;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.message.SourceAddress;

/**
 * REGISTER handling without the network, as the registrar runs it: the datagram's bytes parsed by the RI's parser,
 * the registrar's request chain (stock steps, then RFC 3261 §10.3: digest check with the HA1 from location-client's
 * cache, the nonce-count shared in Redis, the binding written to a real Redis, all asynchronous), and the response
 * encoded to bytes. The benchmark thread waits for the answer; the service's receiving thread does not.
 *
 * <ul>
 *   <li>{@code challenge}: a REGISTER without credentials (parse, chain, a fresh nonce, 401 bytes; the HA1 read it
 *   starts for the retry completes in the background);</li>
 *   <li>{@code authenticated}: a REGISTER with valid MD5 credentials, all the way to the stored binding and the 200's
 *   bytes (HA1 cached, as after the 401: one round trip for the nonce-count, one for the binding);</li>
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
        DigestAuthenticator authenticator;
        RequestChain chain;
        String[] ha1 = new String[USERS];
        SourceAddress source = new SourceAddress(Transport.UDP, "127.0.0.1", 7071);
        SipFactories factories = SipFactories.get();

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
            CachedSubscribers subscribers = new CachedSubscribers(redis.store(), Duration.ofMinutes(5), 100_000);
            Ha1Source ha1Source = AuthenticationConfiguration.ha1Source(subscribers);
            DigestProperties digest = DigestProperties.withSecret("bench-nonce-secret-0123456789");
            SharedNonceCountStore shared = AuthenticationConfiguration.sharedNonceCountStore(
                    new RedisNonceCounts(redis.template(), RedisGuard.withDefaults("bench-nc")));
            authenticator = new DigestAuthenticator(digest, DigestAuthenticator.secretBytes("bench-nonce-secret-0123456789"),
                    ha1Source, new SharedNonceCounts(DigestAuthenticator.localNonceCounts(digest), shared,
                            digest.nonceLifetime().plusMinutes(1)),
                    Clock.systemUTC());
            RegistrarProperties properties = new RegistrarProperties(List.of(DOMAIN), true, 60, 7200, 3600,
                    Duration.ofSeconds(5), List.of());
            StaticListableBeanFactory beans = new StaticListableBeanFactory(
                    Map.of("authenticator", authenticator, "subscribers", subscribers));
            RegisterMetrics metrics = new RegisterMetrics(new SimpleMeterRegistry());
            Registrar registrar = new Registrar(properties, redis.store(), beans.getBeanProvider(DigestAuthenticator.class),
                    beans.getBeanProvider(CachedSubscribers.class), metrics);
            chain = new RegistrarChain().registrarRequestChain(registrar, properties,
                    new io.siplane.sip.message.ClientAddressResolver(List.of()), metrics, Clock.systemUTC(), AnsweringThreads.direct());
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

    /** The response's bytes, once the chain has answered (at once, or when Redis replied). */
    private static byte[] handle(Server r, Client c, byte[] datagram, int expectedStatus) throws Exception {
        Request request = (Request) c.parser.parseSIPMessage(datagram, true, false, null);
        CompletableFuture<Response> answered = new CompletableFuture<>();
        r.chain.handle(new IncomingRequest(request, r.source, answered::complete, r.factories, ""));
        Response response = answered.get(5, TimeUnit.SECONDS);
        if (response.getStatusCode() != expectedStatus) {
            throw new IllegalStateException("expected " + expectedStatus + ", got " + response);
        }
        return ((SIPResponse) response).encodeAsBytes("UDP");
    }

    @Benchmark
    public byte[] challenge(Server r, Client c) throws Exception {
        return handle(r, c, c.next(r, false), 401);
    }

    @Benchmark
    public byte[] authenticated(Server r, Client c) throws Exception {
        return handle(r, c, c.next(r, true), 200);
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
