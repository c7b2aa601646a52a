package io.siplane.proxy;

import static io.siplane.proxy.Agents.awaitResponse;
import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.siplane.sip.SipEndpoint;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * SIGTERM on a proxy replica, as Spring sees it (the context closes) while a call is ringing through it: the gateway's
 * OPTIONS probe is answered 503 and readiness goes down, a new call is refused with 503 + Retry-After, the ringing
 * call still completes, and the replica stops soon after it, well within the drain bound.
 */
class GracefulShutdownTest {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final ProxyPlatform platform = ProxyPlatform.get();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aDrainingProxyAnswersProbes503RefusesNewCallsAndFinishesTheRingingOneBeforeItStops() throws Exception {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = RunningProxy.start(RedisFixture.url(), "sip.shutdown.drain-timeout=" + DRAIN_TIMEOUT.toSeconds() + "s");
        int httpPort = proxy.httpPort();
        SipEndpoint endpoint = proxy.bean(SipEndpoint.class);
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.udp().defaultUser(bob);
             TestUserAgent gateway = TestUserAgent.udp()) {
            register(callee, bob);
            Agents.Outgoing ringingCall = Agents.invite(caller, alice, bob, proxy.target());
            ReceivedRequest atCallee = next(callee, Request.INVITE);
            atCallee.respond(180);
            awaitResponse(caller, ringingCall.request(), 180);
            assertThat(readiness(httpPort)).isEqualTo(200);

            long sigterm = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(proxy::close);
            Awaitility.await().atMost(Agents.WAIT).until(endpoint::isDraining);

            Response probe = gateway.sendAsync(gateway.request(Request.OPTIONS, "sip:127.0.0.1:" + proxy.sipPort()).build(),
                    proxy.target()).get(Agents.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(probe.getStatusCode()).as("the gateway's probe").isEqualTo(503);
            assertThat(readiness(httpPort)).as("readiness while draining").isEqualTo(503);
            Request newCall = caller.request(Request.INVITE, ProxyPlatform.aor(bob)).from(ProxyPlatform.aor(alice))
                    .to(ProxyPlatform.aor(bob)).ownContact(alice, "").body("application/sdp", Agents.SDP).build();
            Response refused = caller.sendAsync(newCall, proxy.target()).get(Agents.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(refused.getStatusCode()).as("a new call").isEqualTo(503);
            assertThat(refused.getHeader(RetryAfterHeader.NAME)).isNotNull();
            assertThat(endpoint.isRunning()).as("the ringing call holds the replica up").isTrue();

            Response ok = atCallee.response(200);
            atCallee.respond(ok);
            Response answered = ringingCall.awaitAnswer();
            assertThat(answered.getStatusCode()).as("the call ringing at SIGTERM").isEqualTo(200);
            caller.ack(ringingCall.request(), answered);
            assertThat(next(callee, Request.ACK)).isNotNull();
            long completed = System.nanoTime();

            closing.get(DRAIN_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            assertThat(endpoint.isRunning()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - completed)).as("stopped soon after the last transaction")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).as("within the drain bound (+ the stack's stop)")
                    .isLessThan(DRAIN_TIMEOUT.plusSeconds(10));
        } finally {
            proxy.close();
        }
    }

    private int readiness(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
