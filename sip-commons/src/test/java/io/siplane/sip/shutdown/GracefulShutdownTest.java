package io.siplane.sip.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.siplane.sip.SipEndpoint;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.pipeline.SipRequestHandler;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * Stopping an endpoint (what SIGTERM does through the Spring context) on a real stack: probes get 503 first, new
 * requests are served until the prober knows, then refused with 503 + Retry-After; a ringing INVITE still completes,
 * and the stack stops once it has, or answers it 503 at the drain timeout.
 */
class GracefulShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final int port = SipPorts.freeUdpAndTcpPort();
    private final BlockingQueue<IncomingRequest> ringing = new LinkedBlockingQueue<>();
    private SipEndpoint endpoint;
    private SipDrain drain;
    private TestUserAgent caller;
    private TestUserAgent prober;

    /** INVITE: a server transaction and 180, the final answer is the test's; OPTIONS for the element: 200. */
    private void start(SipShutdownProperties shutdown) {
        SipRequestHandler invite = handler(Request.INVITE, r -> {
            r.serverTransaction();
            r.respond(r.response(Response.RINGING));
            ringing.add(r);
        });
        SipRequestHandler options = handler(Request.OPTIONS, r -> r.respond(Response.OK));
        drain = new SipDrain(shutdown);
        endpoint = new SipEndpoint(SipProperties.of("127.0.0.1", port),
                new SipRequestDispatcher(List.of(invite, options), Optional.empty(), SipFactories.get(), "", drain), drain);
        endpoint.start();
        caller = TestUserAgent.udp().sendingTo(port);
        prober = TestUserAgent.udp().sendingTo(port);
    }

    @AfterEach
    void close() {
        if (caller != null) {
            caller.close();
            prober.close();
        }
        if (endpoint != null) {
            endpoint.stop();
        }
    }

    @Test
    void probesGet503FirstThenNewRequestsWhileTheRingingCallCompletesAndTheStackStopsAfterIt() throws Exception {
        start(new SipShutdownProperties(Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(3)));
        assertThat(probe().getStatusCode()).as("probe while serving").isEqualTo(200);
        Request ringingInvite = invite();
        CompletableFuture<Response> ringingAnswer = caller.sendAsync(ringingInvite);
        IncomingRequest inFlight = ringing.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(inFlight).as("the INVITE reached the handler").isNotNull();

        long sigterm = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(endpoint::stop);
        Awaitility.await().atMost(WAIT).until(endpoint::isDraining);

        Request duringAnnouncement = invite();
        CompletableFuture<Response> servedAnswer = caller.sendAsync(duringAnnouncement);
        IncomingRequest served = ringing.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(served).as("a new INVITE before the prober knows is still served").isNotNull();
        served.respond(served.response(Response.BUSY_HERE));
        assertThat(servedAnswer.get(WAIT.toSeconds(), TimeUnit.SECONDS).getStatusCode()).isEqualTo(486);

        assertThat(probe().getStatusCode()).as("probe while draining").isEqualTo(503);
        // the prober knows; once the settle time has passed new requests are refused
        Awaitility.await().atMost(WAIT).until(() -> !drain.announcing());
        Response refused = caller.sendAsync(invite()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(refused.getStatusCode()).as("a new INVITE once the prober knows").isEqualTo(503);
        assertThat(((RetryAfterHeader) refused.getHeader(RetryAfterHeader.NAME)).getRetryAfter()).isEqualTo(3);
        assertThat(endpoint.isRunning()).as("the ringing call holds the stack up").isTrue();
        assertThat(stopping).isNotDone();

        inFlight.respond(ok(inFlight));
        assertThat(ringingAnswer.get(WAIT.toSeconds(), TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
        long answered = System.nanoTime();
        stopping.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(endpoint.isRunning()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - answered)).as("stopped soon after the last transaction ended")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).isLessThan(Duration.ofSeconds(15 + 5));
    }

    @Test
    void aTransactionStillPendingAtTheDrainTimeoutIsAnswered503AndTheStackStops() throws Exception {
        start(new SipShutdownProperties(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(2)));
        CompletableFuture<Response> answer = caller.sendAsync(invite());
        assertThat(ringing.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();

        long sigterm = System.nanoTime();
        endpoint.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).as("drain timeout + the RI's stop")
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
        assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).getStatusCode()).isEqualTo(503);
        assertThat(endpoint.isRunning()).isFalse();
    }

    @Test
    void withNothingInFlightAndNoProberTheStackStopsWithoutWaiting() {
        start(SipShutdownProperties.defaults());
        assertThat(caller.sendAsync(caller.request(Request.OPTIONS, "sip:bob@127.0.0.1").build()).join().getStatusCode())
                .isEqualTo(200);

        long sigterm = System.nanoTime();
        endpoint.stop();

        assertThat(endpoint.inFlight()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).as("only the RI's own stop").isLessThan(Duration.ofSeconds(5));
    }

    private Response ok(IncomingRequest invite) throws java.text.ParseException {
        Response ok = invite.response(Response.OK);
        SipFactories f = SipFactories.get();
        ok.setHeader(f.headers().createContactHeader(f.addresses().createAddress("sip:bob@127.0.0.1:" + port)));
        return ok;
    }

    private Response probe() {
        return prober.sendAsync(prober.request(Request.OPTIONS, "sip:127.0.0.1:" + port).build()).join();
    }

    private Request invite() {
        return caller.request(Request.INVITE, "sip:bob@127.0.0.1:" + port).from("sip:alice@127.0.0.1")
                .to("sip:bob@127.0.0.1").ownContact("alice", "").build();
    }

    interface Body {
        void handle(IncomingRequest request) throws Exception;
    }

    private static SipRequestHandler handler(String method, Body body) {
        return new SipRequestHandler() {
            @Override
            public Set<String> methods() {
                return Set.of(method);
            }

            @Override
            public void handle(IncomingRequest request) throws Exception {
                body.handle(request);
            }
        };
    }
}
