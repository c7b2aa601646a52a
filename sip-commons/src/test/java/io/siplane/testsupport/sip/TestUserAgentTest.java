package io.siplane.testsupport.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two test user agents talking to each other directly: the flows the proxy and gateway tests build on. Here, not in
 * test-support, because the agent routes with sip-commons' HopRouter, which is built after test-support.
 */
class TestUserAgentTest {

    @Test
    void messageIsAutoAnsweredOverTcp() {
        try (TestUserAgent caller = TestUserAgent.tcp(); TestUserAgent callee = TestUserAgent.tcp()) {
            callee.answerRequestsWith(r -> 202);

            Response response = caller.sendingTo(callee.port()).request(Request.MESSAGE, callee.contactUri("bob"))
                    .body("text/plain", "hello").send();

            assertThat(response.getStatusCode()).isEqualTo(202);
        }
    }

    @Test
    void inviteIsRungAnsweredAndAcknowledgedPeerToPeer() throws Exception {
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp()) {
            Request invite = caller.request(Request.INVITE, callee.contactUri("bob"))
                    .ownContact("alice", "").body("application/sdp", "v=0\r\n").build();
            CompletableFuture<Response> answer = caller.sendAsync(invite, SipTarget.loopback(callee.port()));

            ReceivedRequest ringing = callee.awaitRequest(Duration.ofSeconds(5));
            ringing.respond(180);
            // UDP keeps no order: a 200 sent right behind the 180 may arrive first, and the 180 is then dropped
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> caller.responsesTo(invite).stream().anyMatch(r -> r.getStatusCode() == 180));
            ringing.respond(200);
            Response ok = answer.get(10, TimeUnit.SECONDS);
            caller.ack(invite, ok);

            assertThat(ok.getStatusCode()).isEqualTo(200);
            assertThat(((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI().toString())
                    .isEqualTo(callee.contactUri("test"));
            assertThat(caller.responsesTo(invite)).extracting(Response::getStatusCode).contains(180, 200);
            assertThat(callee.awaitRequest(Request.ACK, Duration.ofSeconds(5)).method()).isEqualTo(Request.ACK);
        }
    }

    @Test
    void cancelledInviteGets487AndTheCancelGets200() throws Exception {
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp()) {
            caller.sendingTo(callee.port());
            Request invite = caller.request(Request.INVITE, callee.contactUri("bob")).ownContact("alice", "").build();
            CompletableFuture<Response> answer = caller.sendAsync(invite);
            callee.awaitRequest(Duration.ofSeconds(5)).respond(180);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> !caller.responsesTo(invite).isEmpty());

            Response cancelled = caller.cancel(invite).get(10, TimeUnit.SECONDS);

            assertThat(cancelled.getStatusCode()).isEqualTo(200);
            assertThat(answer.get(10, TimeUnit.SECONDS).getStatusCode()).isEqualTo(487);
            assertThat(callee.awaitRequest(Request.CANCEL, Duration.ofSeconds(5)).method()).isEqualTo(Request.CANCEL);
        }
    }

    @Test
    void awaitingAMethodSkipsRetransmissionsOfRequestsAlreadyReceived() {
        try (TestUserAgent caller = TestUserAgent.tcp(); TestUserAgent callee = TestUserAgent.tcp()) {
            caller.sendingTo(callee.port());
            Request first = caller.request(Request.MESSAGE, callee.contactUri("bob")).build();
            Request second = caller.request(Request.MESSAGE, callee.contactUri("bob")).build();
            Request options = caller.request(Request.OPTIONS, callee.contactUri("bob")).build();
            // one TCP connection keeps the order: the first MESSAGE, the same again, the second one, an OPTIONS
            caller.sendStateless(first);
            caller.sendStateless(first);
            caller.sendStateless(second);
            caller.sendStateless(options);

            ReceivedRequest received = callee.awaitRequest(Request.MESSAGE, Duration.ofSeconds(5));
            ReceivedRequest next = callee.awaitRequest(Request.MESSAGE, Duration.ofSeconds(5));

            assertThat(received.request().getHeader("Call-ID")).isEqualTo(first.getHeader("Call-ID"));
            assertThat(next.request().getHeader("Call-ID")).as("the retransmission is skipped")
                    .isEqualTo(second.getHeader("Call-ID"));
            assertThatThrownBy(() -> callee.awaitRequest(Request.MESSAGE, Duration.ofSeconds(5)))
                    .as("a request of another method is not skipped").hasMessageContaining("expected a MESSAGE");
        }
    }

    @Test
    void requestsAnsweredAutomaticallyAreCountedThoughNeverQueued() {
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp()) {
            callee.answerRequestsWith(r -> 200);
            assertThat(callee.requestsReceived()).isZero();

            Response ok = caller.sendingTo(callee.port()).request(Request.OPTIONS, callee.contactUri("bob")).send();

            assertThat(ok.getStatusCode()).isEqualTo(200);
            assertThat(callee.requestsReceived()).isPositive();
            assertThatThrownBy(() -> callee.awaitRequest(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void responsesMatchingNoTransactionAreCollectedOverAWindow() {
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp()) {
            callee.answerRequestsWith(r -> 202);
            caller.sendingTo(callee.port()).sendStateless(caller.request(Request.OPTIONS, callee.contactUri("bob")).build());

            assertThat(caller.statelessResponsesWithin(Duration.ofSeconds(3))).extracting(Response::getStatusCode)
                    .containsExactly(202);
            assertThat(caller.statelessResponsesWithin(Duration.ofMillis(10))).isEmpty();
        }
    }

    @Test
    void agentOnAnotherLoopbackAddressSendsFromIt() {
        try (TestUserAgent other = TestUserAgent.onAddress("udp", "127.0.0.9"); TestUserAgent callee = TestUserAgent.udp()) {
            other.sendingTo(callee.port()).request(Request.OPTIONS, callee.contactUri("bob")).sendAsync();

            ReceivedRequest options = callee.awaitRequest(Duration.ofSeconds(5));
            options.respond(200);

            assertThat(options.request().getHeader("Via").toString()).contains("127.0.0.9");
        }
    }
}
