package io.siplane.proxy;

import static io.siplane.proxy.Agents.awaitResponse;
import static io.siplane.proxy.Agents.invite;
import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static io.siplane.proxy.Agents.viaCount;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.testsupport.sip.Dialog;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.TestUserAgent;

/** Whole calls between two agents registered through the real registrar, set up through the proxy. */
class CallThroughProxyTest {

    private final ProxyPlatform platform = ProxyPlatform.get();

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void callWithoutRecordRouteIsSetUpThroughTheProxyAndTheByeGoesDirectlyBetweenTheAgents(String transport) throws Exception {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.replicaA;
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);
            double byes = proxy.requestsCounted(Request.BYE);
            double acks = proxy.requestsCounted(Request.ACK);

            Agents.Outgoing call = invite(caller, alice, bob, proxy.target());
            ReceivedRequest invite = next(callee, Request.INVITE);
            invite.respond(180);
            awaitResponse(caller, call.request(), 180);
            Response ok = invite.response(200);
            invite.respond(ok);
            Response okAtCaller = call.awaitAnswer();
            caller.ack(call.request(), okAtCaller);
            ReceivedRequest ack = next(callee, Request.ACK);
            Dialog callerSide = Dialog.asCaller(caller, call.request(), okAtCaller);
            CompletableFuture<Response> byeAnswer = callerSide.sendAsync(Request.BYE);
            ReceivedRequest bye = next(callee, Request.BYE);
            bye.respond(200);

            assertThat(okAtCaller.getStatusCode()).isEqualTo(200);
            assertThat(caller.responsesTo(call.request())).extracting(Response::getStatusCode).containsSubsequence(100, 180, 200);
            assertThat(viaCount(invite.request())).as("the INVITE passed the proxy").isEqualTo(2);
            assertThat(callerSide.routeSet()).as("no Record-Route").isEmpty();
            assertThat(viaCount(ack.request())).as("ACK straight from the caller").isEqualTo(1);
            assertThat(viaCount(bye.request())).as("BYE straight from the caller").isEqualTo(1);
            assertThat(byeAnswer.get(20, TimeUnit.SECONDS).getStatusCode()).isEqualTo(200);
            assertThat(proxy.requestsCounted(Request.BYE)).as("the proxy never saw the BYE").isEqualTo(byes);
            assertThat(proxy.requestsCounted(Request.ACK)).as("nor the ACK").isEqualTo(acks);
        } 
    }
}
