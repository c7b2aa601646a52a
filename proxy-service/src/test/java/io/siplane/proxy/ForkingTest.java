package io.siplane.proxy;

import static io.siplane.proxy.Agents.WAIT;
import static io.siplane.proxy.Agents.awaitResponse;
import static io.siplane.proxy.Agents.invite;
import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.TestUserAgent;

/** Bob with several registered devices: parallel and sequential forking, CANCEL, 6xx, Timer C (RFC 3261 §16.6–16.10). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForkingTest {

    private final ProxyPlatform platform = ProxyPlatform.get();
    private RunningProxy quickTimerC;

    @BeforeAll
    void startProxyWithShortTimerC() {
        quickTimerC = RunningProxy.start(RedisFixture.url(), "proxy.timer-c=2s");
    }

    @AfterAll
    void stop() {
        if (quickTimerC != null) {
            quickTimerC.close();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void parallelForkRingsBothDevicesAndCancelsTheOneThatDidNotAnswer(String transport) throws Exception {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.replicaA;
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent desk = TestUserAgent.start(transport).defaultUser(bob);
             TestUserAgent mobile = TestUserAgent.start(transport).defaultUser(bob)) {
            register(desk, bob);
            register(mobile, bob);
            double losers = proxy.branchesEnded(Request.INVITE, "4xx");

            Agents.Outgoing call = invite(caller, alice, bob, proxy.target());
            ReceivedRequest atDesk = next(desk, Request.INVITE);
            ReceivedRequest atMobile = next(mobile, Request.INVITE);
            atDesk.respond(180);
            atMobile.respond(180);
            awaitResponse(caller, call.request(), 180);
            atDesk.respond(200);
            Response ok = call.awaitAnswer();
            caller.ack(call.request(), ok);
            ReceivedRequest cancel = next(mobile, Request.CANCEL);
            await().atMost(WAIT).until(() -> proxy.branchesEnded(Request.INVITE, "4xx") > losers);

            assertThat(ok.getStatusCode()).isEqualTo(200);
            assertThat(next(desk, Request.ACK).method()).isEqualTo(Request.ACK);
            assertThat(cancel.request().getHeader("Reason").toString()).contains("cause=200");
            assertThat(atMobile.finalResponseSent()).as("the mobile answered its INVITE 487").isTrue();
            assertThat(caller.responsesTo(call.request())).extracting(Response::getStatusCode)
                    .as("the caller sees only the winner").doesNotContain(487);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void cancelFromTheCallerIsAnswered200AndEndsTheInviteWith487AfterCancellingTheCallee(String transport) throws Exception {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);

            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaB.target());
            ReceivedRequest invite = next(callee, Request.INVITE);
            invite.respond(180);
            awaitResponse(caller, call.request(), 180);
            Response cancelled = caller.cancel(call.request()).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            ReceivedRequest cancelAtCallee = next(callee, Request.CANCEL);

            assertThat(cancelled.getStatusCode()).isEqualTo(200);
            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(487);
            assertThat(cancelAtCallee.request().getRequestURI()).isEqualTo(invite.request().getRequestURI());
            assertThat(invite.finalResponseSent()).as("the callee ended its INVITE").isTrue();
        }
    }

    @Test
    void whenTwoDevicesAnswerAtOnceBothTwoHundredsReachTheCaller() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent desk = TestUserAgent.udp().defaultUser(bob);
             TestUserAgent mobile = TestUserAgent.udp().defaultUser(bob)) {
            register(desk, bob);
            register(mobile, bob);

            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaA.target());
            ReceivedRequest atDesk = next(desk, Request.INVITE);
            ReceivedRequest atMobile = next(mobile, Request.INVITE);
            atDesk.respond(200);
            call.awaitAnswer();
            // the mobile had not rung yet, so it could not be cancelled: its answer crosses the proxy's CANCEL wish
            atMobile.respond(200);

            // RFC 3261 §16.7 step 5: every 2xx to an INVITE is forwarded; the caller acknowledges (and would end) each
            await().atMost(WAIT).until(() -> caller.responsesTo(call.request()).stream()
                    .filter(r -> r.getStatusCode() == 200).map(r -> r.getHeader("To").toString()).distinct().count() == 2);
        }
    }

    @Test
    void busyFirstChoiceMakesTheProxyTryTheNextQValue() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent desk = TestUserAgent.udp().defaultUser(bob);
             TestUserAgent mobile = TestUserAgent.udp().defaultUser(bob)) {
            register(mobile, bob, ";q=0.5");
            register(desk, bob, ";q=1.0");

            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaA.target());
            ReceivedRequest atDesk = next(desk, Request.INVITE);
            assertThatThrownBy(() -> mobile.awaitRequest(Duration.ofMillis(500)))
                    .as("the lower q is not tried while the higher one may still answer").isInstanceOf(IllegalStateException.class);
            atDesk.respond(486);
            ReceivedRequest atMobile = next(mobile, Request.INVITE);
            atMobile.respond(200);
            Response ok = call.awaitAnswer();
            caller.ack(call.request(), ok);

            assertThat(ok.getStatusCode()).isEqualTo(200);
            assertThat(caller.responsesTo(call.request())).extracting(Response::getStatusCode).doesNotContain(486);
            assertThat(next(mobile, Request.ACK).method()).isEqualTo(Request.ACK);
        }
    }

    @Test
    void whenEveryDeviceIsBusyTheCallerGets486() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent desk = TestUserAgent.udp().defaultUser(bob);
             TestUserAgent mobile = TestUserAgent.udp().defaultUser(bob)) {
            register(desk, bob, ";q=0.9");
            register(mobile, bob, ";q=0.1");

            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaA.target());
            next(desk, Request.INVITE).respond(486);
            next(mobile, Request.INVITE).respond(480);

            assertThat(call.awaitAnswer().getStatusCode()).as("486 tells more than 480").isEqualTo(486);
        }
    }

    @Test
    void declineFromOneDeviceIsForwardedAtOnceAndCancelsTheOther() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent desk = TestUserAgent.udp().defaultUser(bob);
             TestUserAgent mobile = TestUserAgent.udp().defaultUser(bob)) {
            register(desk, bob);
            register(mobile, bob);

            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaA.target());
            ReceivedRequest atDesk = next(desk, Request.INVITE);
            ReceivedRequest atMobile = next(mobile, Request.INVITE);
            atMobile.respond(180);
            awaitResponse(caller, call.request(), 180);
            atDesk.respond(603);

            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(603);
            assertThat(next(mobile, Request.CANCEL).method()).isEqualTo(Request.CANCEL);
        }
    }

    @Test
    void serviceUnavailableFromTheOnlyDeviceReachesTheCallerAs500() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);

            Agents.Outgoing call = invite(caller, alice, bob, platform.replicaA.target());
            next(callee, Request.INVITE).respond(503);

            // RFC 3261 §16.7 step 6: the caller must not take the callee's 503 for the proxy's
            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(500);
        }
    }

    @Test
    void deviceThatRingsLongerThanTimerCIsCancelledAndTheCallerGets487() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);

            Agents.Outgoing call = invite(caller, alice, bob, quickTimerC.target());
            next(callee, Request.INVITE).respond(180);

            assertThat(next(callee, Request.CANCEL).method()).as("Timer C (2 s here) cancels the ringing branch")
                    .isEqualTo(Request.CANCEL);
            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(487);
        }
    }

    @Test
    void deviceThatNeverAnswersAtAllMakesTheCallerGet408() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);

            Agents.Outgoing call = invite(caller, alice, bob, quickTimerC.target());
            next(callee, Request.INVITE);

            // no provisional: Timer C acts as if the branch answered 408 (RFC 3261 §16.8)
            assertThat(call.awaitAnswer().getStatusCode()).isEqualTo(408);
        }
    }
}
