package io.siplane.proxy;

import static io.siplane.proxy.Agents.invite;
import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import javax.sip.header.AllowHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.TestUserAgent;

/** Where the proxy sends a request (RFC 3261 §16.5): the location store's bindings, or an answer of its own. */
class TargetResolutionTest {

    private final ProxyPlatform platform = ProxyPlatform.get();

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void unknownUserGets404(String transport) {
        String alice = platform.newSubscriber("alice");
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice)) {
            Agents.Outgoing call = invite(caller, alice, "nobody-" + System.nanoTime(), platform.replicaA.target());

            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void subscriberWithoutRegisteredDeviceGets480(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice)) {
            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaB.target());

            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(480);
        }
    }

    @Test
    void requestForADomainThatIsNotOursIsNotRelayed() {
        String alice = platform.newSubscriber("alice");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice)) {
            Request invite = caller.request(Request.INVITE, "sip:someone@elsewhere.example").from(ProxyPlatform.aor(alice))
                    .to("sip:someone@elsewhere.example").ownContact(alice, "").build();

            Agents.Outgoing call = Agents.authenticated(caller, invite, alice, platform.replicaA.target());

            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(403);
            assertThat(call.awaitAnswer().getReasonPhrase()).isEqualTo("Relaying Denied");
        }
    }

    @Test
    void callerFromAnotherDomainReachesOurUserWithoutChallenge() {
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);

            var answer = caller.sendAsync(caller.request(Request.INVITE, ProxyPlatform.aor(bob)).from("sip:carol@elsewhere.example")
                    .to(ProxyPlatform.aor(bob)).ownContact("carol", "").build(), platform.replicaA.target());
            next(callee, Request.INVITE).respond(486);

            assertThat(answer.join().getStatusCode()).isEqualTo(486);
        }
    }

    @Test
    void userDialledAtTheProxysOwnAddressIsLookedUpInTheFirstDomain() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.replicaA;
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);
            String bobAtProxy = "sip:" + bob + "@127.0.0.1:" + proxy.sipPort();
            Request invite = caller.request(Request.INVITE, bobAtProxy).from(ProxyPlatform.aor(alice)).to(bobAtProxy)
                    .ownContact(alice, "").build();

            Agents.Outgoing call = Agents.authenticated(caller, invite, alice, proxy.target());
            ReceivedRequest atCallee = next(callee, Request.INVITE);
            atCallee.respond(603);

            assertThat(atCallee.request().getRequestURI().toString()).isEqualTo(callee.contactUri(bob));
            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(603);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void bindingWithPathIsReachedThroughThePathAsRoute(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent edge = TestUserAgent.start(transport);
             TestUserAgent phone = TestUserAgent.start(transport).defaultUser(bob)) {
            String path = "<sip:127.0.0.1:" + edge.port() + ";transport=" + transport + ";lr>";
            Request register = phone.register(bob, ProxyPlatform.DOMAIN).header("Supported", "path").header("Path", path).build();
            Response challenge = phone.sendAsync(register, platform.registrarTarget()).join();
            assertThat(phone.sendAsync(phone.authorize(register, challenge, Agents.credentials(bob)), platform.registrarTarget())
                    .join().getStatusCode()).isEqualTo(200);

            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaA.target());
            ReceivedRequest atEdge = next(edge, Request.INVITE);
            atEdge.respond(480);

            assertThat(SipHeaders.values(atEdge.request(), RouteHeader.NAME)).containsExactly(path);
            assertThat(atEdge.request().getRequestURI().toString()).isEqualTo(phone.contactUri(bob));
            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(480);
        }
    }

    @Test
    void agentBehindNatIsReachedAtTheAddressItRegisteredFrom() {
        String alice = platform.newSubscriber("alice");
        String carol = platform.newSubscriber("carol");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent natted = TestUserAgent.udp().defaultUser(carol)) {
            // the phone only knows its private address; the REGISTER reaches the registrar from 127.0.0.1
            String privateContact = "sip:" + carol + "@10.255.255.7:5060";
            Request register = natted.register(carol, ProxyPlatform.DOMAIN).withoutContacts()
                    .contact("<" + privateContact + ">").build();
            Response challenge = natted.sendAsync(register, platform.registrarTarget()).join();
            assertThat(natted.sendAsync(natted.authorize(register, challenge, Agents.credentials(carol)), platform.registrarTarget())
                    .join().getStatusCode()).isEqualTo(200);

            Agents.Outgoing call = invite(caller, alice, carol, platform.replicaA.target());
            ReceivedRequest atPhone = next(natted, Request.INVITE);
            atPhone.respond(486);

            assertThat(atPhone.request().getRequestURI().toString()).isEqualTo(privateContact);
            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(486);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void optionsForTheProxyItselfIsAnswered200WithAllowEvenWithMaxForwardsZero(String transport) {
        try (TestUserAgent ua = TestUserAgent.start(transport)) {
            Response response = ua.sendAsync(ua.request(Request.OPTIONS, "sip:127.0.0.1:" + platform.replicaA.sipPort())
                    .maxForwards(0).build(), platform.replicaA.target()).join();

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(SipHeaders.values(response, AllowHeader.NAME)).contains("INVITE", "MESSAGE", "OPTIONS", "CANCEL", "BYE");
        }
    }

    @Test
    void optionsForAUserIsRoutedLikeAnInvite() {
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent ua = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);

            var answer = ua.sendAsync(ua.request(Request.OPTIONS, ProxyPlatform.aor(bob)).to(ProxyPlatform.aor(bob)).build(),
                    platform.replicaA.target());
            next(callee, Request.OPTIONS).respond(200);

            assertThat(answer.join().getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void registerSentToTheProxyIsRefusedWith405() {
        try (TestUserAgent ua = TestUserAgent.udp()) {
            Response response = ua.sendAsync(ua.register("someone", ProxyPlatform.DOMAIN).build(), platform.replicaA.target()).join();

            assertThat(response.getStatusCode()).isEqualTo(405);
            assertThat(SipHeaders.values(response, AllowHeader.NAME)).contains("INVITE").doesNotContain("REGISTER");
        }
    }

    @Test
    void retransmittedInviteReachesTheCalleeOnce() {
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);
            Request invite = caller.request(Request.INVITE, ProxyPlatform.aor(bob)).from("sip:carol@elsewhere.example")
                    .to(ProxyPlatform.aor(bob)).ownContact("carol", "").build();

            caller.sendStateless(invite, platform.replicaA.target());
            caller.sendStateless(invite, platform.replicaA.target());
            ReceivedRequest first = callee.awaitRequest(Agents.WAIT);
            first.respond(486);

            assertThat(first.method()).isEqualTo(Request.INVITE);
            // a second branch would have another branch id; the proxy's own retransmissions keep it
            assertThat(requestsWithin(callee, Duration.ofMillis(700))).extracting(r -> Agents.topBranch(r.request()))
                    .as("the proxy's server transaction absorbed the caller's retransmission")
                    .allMatch(branch -> branch.equals(Agents.topBranch(first.request())));
        }
    }

    private static java.util.List<ReceivedRequest> requestsWithin(TestUserAgent ua, Duration window) {
        java.util.List<ReceivedRequest> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                out.add(ua.awaitRequest(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()))));
            } catch (IllegalStateException none) {
                break;
            }
        }
        return out;
    }
}
