package io.siplane.proxy;

import static io.siplane.proxy.Agents.establish;
import static io.siplane.proxy.Agents.hangUp;
import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static io.siplane.proxy.Agents.viaCount;
import static org.assertj.core.api.Assertions.assertThat;

import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.TestUserAgent;

/** Whole calls between two agents registered through the real registrar, set up through the proxy. */
class CallThroughProxyTest {

    private final ProxyPlatform platform = ProxyPlatform.get();

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void callWithoutRecordRouteIsSetUpThroughTheProxyAndTheCallersByeGoesDirectlyToTheCallee(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.replicaA;
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);
            double byes = proxy.requestsCounted(Request.BYE);
            double acks = proxy.requestsCounted(Request.ACK);

            Agents.Call call = establish(caller, alice, callee, bob, proxy.target());
            ReceivedRequest bye = hangUp(call.callerSide(), callee);

            assertThat(caller.responsesTo(call.outgoing().request())).extracting(Response::getStatusCode)
                    .containsSubsequence(100, 180, 200);
            assertThat(viaCount(call.inviteAtCallee().request())).as("the INVITE passed the proxy").isEqualTo(2);
            assertThat(call.callerSide().routeSet()).as("no Record-Route").isEmpty();
            assertThat(viaCount(call.ackAtCallee().request())).as("ACK straight from the caller").isEqualTo(1);
            assertThat(viaCount(bye.request())).as("BYE straight from the caller").isEqualTo(1);
            assertThat(proxy.requestsCounted(Request.BYE)).as("the proxy never saw the BYE").isEqualTo(byes);
            assertThat(proxy.requestsCounted(Request.ACK)).as("nor the ACK").isEqualTo(acks);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void calleeHangsUpDirectlyWhenRecordRouteIsOff(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.replicaA;
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);
            double byes = proxy.requestsCounted(Request.BYE);

            Agents.Call call = establish(caller, alice, callee, bob, proxy.target());
            ReceivedRequest bye = hangUp(call.calleeSide(), caller);

            assertThat(bye.request().getRequestURI().toString()).isEqualTo(caller.contactUri(alice));
            assertThat(viaCount(bye.request())).as("BYE straight from the callee").isEqualTo(1);
            assertThat(proxy.requestsCounted(Request.BYE)).as("the proxy never saw the BYE").isEqualTo(byes);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void withRecordRouteTheCallersAckAndByePassThroughTheProxy(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.recordRouting;
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);
            double byes = proxy.requestsCounted(Request.BYE);
            double acks = proxy.requestsCounted(Request.ACK);

            Agents.Call call = establish(caller, alice, callee, bob, proxy.target());
            ReceivedRequest bye = hangUp(call.callerSide(), callee);

            assertThat(SipHeaders.values(call.inviteAtCallee().request(), RecordRouteHeader.NAME)).singleElement().asString()
                    .matches("<sip:127\\.0\\.0\\.1:" + proxy.sipPort() + ";transport=" + transport + ";lr;rrsig=[A-Za-z0-9_-]{16}>");
            assertThat(call.callerSide().routeSet()).hasSize(1);
            assertThat(viaCount(call.ackAtCallee().request())).as("ACK through the proxy").isEqualTo(2);
            assertThat(viaCount(bye.request())).as("BYE through the proxy").isEqualTo(2);
            assertThat(bye.request().getHeader(RouteHeader.NAME)).as("the proxy removed its Route").isNull();
            assertThat(proxy.requestsCounted(Request.BYE) - byes).isEqualTo(1);
            assertThat(proxy.requestsCounted(Request.ACK) - acks).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void withRecordRouteTheCalleesByeReachesTheCallerThroughTheProxy(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.recordRouting;
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);

            Agents.Call call = establish(caller, alice, callee, bob, proxy.target());
            ReceivedRequest bye = hangUp(call.calleeSide(), caller);

            assertThat(call.calleeSide().routeSet()).hasSize(1);
            assertThat(bye.request().getRequestURI().toString()).isEqualTo(caller.contactUri(alice));
            assertThat(viaCount(bye.request())).as("BYE through the proxy").isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "replica {0} over {1}")
    @CsvSource({"A,udp", "A,tcp", "B,udp", "B,tcp"})
    void eitherReplicaSetsUpTheCallOfAnAgentRegisteredOnce(String replica, String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = "A".equals(replica) ? platform.replicaA : platform.replicaB;
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);
            double invites = proxy.requestsCounted(Request.INVITE);

            Agents.Call call = establish(caller, alice, callee, bob, proxy.target());
            hangUp(call.callerSide(), callee);

            assertThat(proxy.requestsCounted(Request.INVITE) - invites).as("407, then 200").isEqualTo(2);
        }
    }

    @Test
    void challengeFromOneReplicaIsAnsweredThroughTheOther() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);
            Request first = caller.request(Request.INVITE, ProxyPlatform.aor(bob)).from(ProxyPlatform.aor(alice))
                    .to(ProxyPlatform.aor(bob)).ownContact(alice, "").build();
            Response challenge = caller.sendAsync(first, platform.replicaA.target()).join();
            Request authorized = caller.authorize(first, challenge, Agents.credentials(alice));

            var answer = caller.sendAsync(authorized, platform.replicaB.target());
            ReceivedRequest invite = next(callee, Request.INVITE);
            invite.respond(200);

            assertThat(challenge.getStatusCode()).isEqualTo(407);
            assertThat(answer.join().getStatusCode()).isEqualTo(200);
            caller.ack(authorized, answer.join());
        }
    }

    @Test
    void callBetweenAUdpAndATcpAgentIsRecordRoutedOnBothSidesAndHungUpThroughTheProxy() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.recordRouting;
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.tcp().defaultUser(bob)) {
            register(callee, bob);

            Agents.Call call = establish(caller, alice, callee, bob, proxy.target());
            ReceivedRequest byeAtCaller = hangUp(call.calleeSide(), caller);

            // RFC 5658: the entry facing the callee (TCP) first, then the one facing the caller (UDP)
            // each signed for the dialog (RecordRouteSignature)
            assertThat(SipHeaders.values(call.inviteAtCallee().request(), RecordRouteHeader.NAME)).satisfiesExactly(
                    tcp -> assertThat(tcp).startsWith("<sip:127.0.0.1:" + proxy.sipPort() + ";transport=tcp;lr;rrsig="),
                    udp -> assertThat(udp).startsWith("<sip:127.0.0.1:" + proxy.sipPort() + ";transport=udp;lr;rrsig="));
            assertThat(viaCount(call.ackAtCallee().request())).isEqualTo(2);
            assertThat(viaCount(byeAtCaller.request())).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void messageFromALocalUserIsAuthenticatedAndDeliveredToTheRegisteredAgent(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent sender = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent receiver = TestUserAgent.start(transport).defaultUser(bob)) {
            register(receiver, bob);
            Request message = sender.request(Request.MESSAGE, ProxyPlatform.aor(bob)).from(ProxyPlatform.aor(alice))
                    .to(ProxyPlatform.aor(bob)).body("text/plain", "hello bob").build();

            Agents.Outgoing sent = Agents.authenticated(sender, message, alice, platform.replicaB.target());
            ReceivedRequest delivered = next(receiver, Request.MESSAGE);
            delivered.respond(202);

            assertThat(new String(delivered.request().getRawContent())).isEqualTo("hello bob");
            assertThat(delivered.request().getHeader("Proxy-Authorization")).as("our credentials stay here").isNull();
            assertThat(sent.awaitAnswer().getStatusCode()).isEqualTo(202);
        }
    }
}
