package io.siplane.proxy;

import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * Requests sent straight to the proxy that try to use it as a relay to a host that is not ours: each is refused
 * (or routed to our own user only), and the listening "evil" agent never gets anything.
 */
class NoOpenRelayTest {

    private static final Duration QUIET = Duration.ofMillis(500);
    private static TestUserAgent evil;
    private final ProxyPlatform platform = ProxyPlatform.get();

    @BeforeAll
    static void listenAsEvil() {
        evil = TestUserAgent.udp();
        evil.answerRequestsWith(r -> 200);
    }

    @AfterAll
    static void close() {
        evil.close();
    }

    @AfterEach
    void nothingReachedEvil() {
        // every request counts, those the agent answered by itself too (awaitRequest never sees those)
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> evil.requestsReceived() == 0);
    }

    private static String evilUri() {
        return "sip:victim@127.0.0.1:" + evil.port();
    }

    private static String evilRoute() {
        return "<sip:127.0.0.1:" + evil.port() + ";lr>";
    }

    private static String ownRoute(RunningProxy proxy) {
        return "<sip:127.0.0.1:" + proxy.sipPort() + ";lr>";
    }

    /** A request that looks as if it belonged to a dialog: a To-tag nobody issued. */
    private static Request forgedInDialog(TestUserAgent ua, String method, String target, String... routes) {
        var builder = ua.request(method, target).from("sip:mallory@attacker.example").to(target).body("text/plain", "relay me");
        for (String route : routes) {
            builder.header(RouteHeader.NAME, route);
        }
        Request r = builder.build();
        try {
            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag("forged-" + System.nanoTime());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    private static Response send(TestUserAgent ua, Request request, SipTarget proxy) {
        return ua.sendAsync(request, proxy).join();
    }

    @Test
    void inviteAndMessageForAForeignDomainAreRefused() {
        try (TestUserAgent mallory = TestUserAgent.udp()) {
            for (String method : new String[] {Request.INVITE, Request.MESSAGE}) {
                Request r = mallory.request(method, "sip:x@evil.example").from("sip:mallory@attacker.example")
                        .to("sip:x@evil.example").ownContact("mallory", "").build();
                Response answer = send(mallory, r, platform.replicaA.target());
                assertThat(answer.getStatusCode()).as(method).isEqualTo(403);
                assertThat(answer.getReasonPhrase()).isEqualTo("Relaying Denied");
            }
        }
    }

    @Test
    void aForeignRequestUriBehindOurOwnPreloadedRouteIsRefused() {
        try (TestUserAgent mallory = TestUserAgent.udp()) {
            Request r = mallory.request(Request.MESSAGE, evilUri()).from("sip:mallory@attacker.example").to(evilUri())
                    .header(RouteHeader.NAME, ownRoute(platform.replicaA)).body("text/plain", "relay me").build();
            assertThat(send(mallory, r, platform.replicaA.target()).getStatusCode()).isEqualTo(403);
        }
    }

    @Test
    void aPreloadedRouteToAForeignHostIsDroppedAndOurUserIsReachedInstead() {
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent mallory = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);
            Request r = mallory.request(Request.MESSAGE, ProxyPlatform.aor(bob)).from("sip:mallory@attacker.example")
                    .to(ProxyPlatform.aor(bob)).header(RouteHeader.NAME, evilRoute()).body("text/plain", "hi bob").build();
            var answer = mallory.sendAsync(r, platform.replicaB.target());
            ReceivedRequest atBob = next(callee, Request.MESSAGE);
            assertThat(atBob.request().getHeader(RouteHeader.NAME)).as("the preloaded Route is gone").isNull();
            atBob.respond(200);
            assertThat(answer.join().getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void aForgedToTagTowardsAForeignHostIsRefused() {
        try (TestUserAgent mallory = TestUserAgent.udp()) {
            for (String method : new String[] {Request.INVITE, Request.MESSAGE, Request.BYE}) {
                Response answer = send(mallory, forgedInDialog(mallory, method, evilUri()), platform.replicaA.target());
                assertThat(answer.getStatusCode()).as(method).isEqualTo(403);
            }
        }
    }

    @Test
    void aForgedToTagWithOurUnsignedRouteIsRefusedOnEveryReplica() {
        try (TestUserAgent mallory = TestUserAgent.udp()) {
            for (RunningProxy proxy : new RunningProxy[] {platform.replicaA, platform.recordRouting}) {
                Response answer = send(mallory, forgedInDialog(mallory, Request.MESSAGE, evilUri(), ownRoute(proxy)), proxy.target());
                assertThat(answer.getStatusCode()).as("proxy on %s", proxy.sipPort()).isEqualTo(403);
                answer = send(mallory, forgedInDialog(mallory, Request.MESSAGE, evilUri(), ownRoute(proxy), evilRoute()), proxy.target());
                assertThat(answer.getStatusCode()).as("Route on to evil via %s", proxy.sipPort()).isEqualTo(403);
            }
        }
    }

    @Test
    void aForgedOrBorrowedRecordRouteSignatureIsRefused() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.recordRouting;
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob);
             TestUserAgent mallory = TestUserAgent.udp()) {
            register(callee, bob);
            // a real record-routed call gives mallory a genuine signature, for that call's Call-ID only
            Agents.Call call = Agents.establish(caller, alice, callee, bob, proxy.target());
            String signed = ((RecordRouteHeader) call.okAtCaller().getHeader(RecordRouteHeader.NAME)).getAddress().getURI().toString();
            assertThat(signed).contains(";rrsig=");
            Agents.hangUp(call.callerSide(), callee);

            Response forged = send(mallory, forgedInDialog(mallory, Request.MESSAGE, evilUri(),
                    "<sip:127.0.0.1:" + proxy.sipPort() + ";lr;rrsig=AAAAAAAAAAAAAAAA>"), proxy.target());
            assertThat(forged.getStatusCode()).isEqualTo(403);
            Response borrowed = send(mallory, forgedInDialog(mallory, Request.MESSAGE, evilUri(), "<" + signed + ">"), proxy.target());
            assertThat(borrowed.getStatusCode()).as("a signature of another Call-ID").isEqualTo(403);
            assertThat(SipHeaders.callId(call.outgoing().request())).isNotBlank();
        }
    }
}
