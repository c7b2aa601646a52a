package io.siplane.proxy;

import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.DigestClient;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.TestUserAgent;

/** 407 challenges of calls and messages from our own users (RFC 3261 §22.3), with sip-commons' digest machinery. */
class ProxyAuthenticationTest {

    private final ProxyPlatform platform = ProxyPlatform.get();

    private static Request inviteFrom(TestUserAgent caller, String from, String to) {
        return caller.request(Request.INVITE, ProxyPlatform.aor(to)).from(ProxyPlatform.aor(from)).to(ProxyPlatform.aor(to))
                .ownContact(from, "").body("application/sdp", Agents.SDP).build();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void inviteFromALocalUserIsChallengedWith407AndTheAuthenticatedInviteReachesTheCallee(String transport) {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.start(transport).defaultUser(alice);
             TestUserAgent callee = TestUserAgent.start(transport).defaultUser(bob)) {
            register(callee, bob);
            Request invite = inviteFrom(caller, alice, bob);

            Response challenge = caller.sendAsync(invite, platform.replicaA.target()).join();
            Request authorized = caller.authorize(invite, challenge, Credentials.md5(alice, ProxyPlatform.password(alice)));
            var answer = caller.sendAsync(authorized, platform.replicaA.target());
            ReceivedRequest atCallee = next(callee, Request.INVITE);
            atCallee.respond(200);

            assertThat(challenge.getStatusCode()).isEqualTo(407);
            List<WWWAuthenticateHeader> offered = DigestClient.challenges(challenge);
            // one challenge by default (SHA-256 on request: EdgeSecurityTest in the gateway)
            assertThat(offered).extracting(WWWAuthenticateHeader::getAlgorithm).containsExactly("MD5");
            assertThat(offered).allSatisfy(c -> {
                assertThat(c.getRealm()).isEqualTo(ProxyPlatform.DOMAIN);
                assertThat(c.getQop()).isEqualTo("auth");
            });
            assertThat(atCallee.request().getHeader(ProxyAuthorizationHeader.NAME)).as("our credentials stay here").isNull();
            assertThat(answer.join().getStatusCode()).isEqualTo(200);
            caller.ack(authorized, answer.join());
        }
    }

    @Test
    void wrongPasswordIsChallengedAgain() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice)) {
            Request invite = inviteFrom(caller, alice, bob);

            Response challenge = caller.sendAsync(invite, platform.replicaB.target()).join();
            Response again = caller.sendAsync(caller.authorize(invite, challenge, Credentials.md5(alice, "wrong")),
                    platform.replicaB.target()).join();

            assertThat(again.getStatusCode()).isEqualTo(407);
        }
    }

    /** RFC 3261 §22.4, RFC 7616 §3.4.6: credentials captured for one Request-URI are not accepted for another. */
    @Test
    void credentialsWhoseDigestUriNamesAnotherRequestUriAreABadRequest() throws Exception {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        String carol = platform.newSubscriber("carol");
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice)) {
            Request message = caller.request(Request.MESSAGE, ProxyPlatform.aor(bob)).from(ProxyPlatform.aor(alice))
                    .to(ProxyPlatform.aor(bob)).body("text/plain", "hi").build();
            Response challenge = caller.sendAsync(message, platform.replicaA.target()).join();
            Request authorized = caller.authorize(message, challenge, Agents.credentials(alice));
            authorized.setRequestURI(caller.factories().addresses().createURI(ProxyPlatform.aor(carol)));

            Response refused = caller.sendAsync(authorized, platform.replicaA.target()).join();

            assertThat(refused.getStatusCode()).isEqualTo(400);
            assertThat(refused.getReasonPhrase()).isEqualTo("Digest uri does not match Request-URI");
        }
    }

    @Test
    void credentialsOfAnotherUserDoNotLetACallerClaimSomeoneElsesAddress() {
        String alice = platform.newSubscriber("alice");
        String mallory = platform.newSubscriber("mallory");
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp()) {
            Request invite = inviteFrom(caller, alice, bob);

            Response challenge = caller.sendAsync(invite, platform.replicaA.target()).join();
            Response refused = caller.sendAsync(caller.authorize(invite, challenge, Agents.credentials(mallory)),
                    platform.replicaA.target()).join();

            assertThat(refused.getStatusCode()).isEqualTo(403);
        }
    }

    /**
     * OPTIONS from a local user is challenged like INVITE by default: unchallenged, 404 for an unknown user and 480
     * for a known one would let an extension scanner (svwar -m OPTIONS) tell them apart.
     */
    @Test
    void optionsFromALocalUserIsChallengedByDefaultForKnownAndUnknownUsersAlikeAndThenReachesTheCallee() {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        String carol = platform.newSubscriber("carol");
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);
            for (String to : new String[] {bob, carol, "nobody-" + System.nanoTime()}) {
                Response challenge = caller.sendAsync(caller.request(Request.OPTIONS, ProxyPlatform.aor(to)).from(ProxyPlatform.aor(alice))
                        .to(ProxyPlatform.aor(to)).build(), platform.replicaA.target()).join();
                assertThat(challenge.getStatusCode()).as("OPTIONS to %s", to).isEqualTo(407);
            }

            Request options = caller.request(Request.OPTIONS, ProxyPlatform.aor(bob)).from(ProxyPlatform.aor(alice))
                    .to(ProxyPlatform.aor(bob)).build();
            Agents.Outgoing sent = Agents.authenticated(caller, options, alice, platform.replicaA.target());
            next(callee, Request.OPTIONS).respond(200);

            assertThat(sent.awaitAnswer().getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void inDialogRequestsThroughTheProxyAreNeverChallenged() throws Exception {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.recordRouting;
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);

            Agents.Call call = Agents.establish(caller, alice, callee, bob, proxy.target());
            var info = call.callerSide().sendAsync(Request.INFO);
            next(callee, Request.INFO).respond(200);
            Agents.hangUp(call.callerSide(), callee);

            assertThat(info.join().getStatusCode()).isEqualTo(200);
        }
    }
}
