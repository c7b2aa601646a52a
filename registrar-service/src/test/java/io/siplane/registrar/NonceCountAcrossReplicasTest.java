package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.DigestClient;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * Two registrar replicas on one Redis, as behind the gateway: the nonce is a stateless HMAC both verify, so only the
 * nonce-counts they share in Redis stop an Authorization captured on its way to one replica from registering through
 * the other (RFC 7616 §3.4), while a retransmission of the very request, whichever replica it reaches, is answered
 * 200 again.
 */
class NonceCountAcrossReplicasTest {

    static RunningRegistrar first;
    static RunningRegistrar second;
    static TestUserAgent ua;

    @BeforeAll
    static void start() {
        first = RunningRegistrar.start();
        second = RunningRegistrar.start();
        ua = TestUserAgent.udp().sendingTo(first.sipPort());
    }

    @AfterAll
    static void stop() {
        if (ua != null) {
            ua.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private static SipTarget secondReplica() {
        return SipTarget.loopback(second.sipPort());
    }

    /** Registers {@code user} on the first replica with nonce-count 1 and returns that authorized REGISTER. */
    private static Request registeredOnTheFirstReplica(String user) {
        first.subscriber(user, "pw");
        Request register = ua.register(user, RunningRegistrar.DOMAIN).build();
        Request authorized = ua.authorize(register, ua.send(register), Credentials.md5(user, "pw"), 1);
        assertThat(ua.send(authorized).getStatusCode()).isEqualTo(200);
        return authorized;
    }

    private static String nonceOf(Request request) {
        return ((AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME)).getNonce();
    }

    @Test
    void anAuthorizationCapturedOnOneReplicaIsRefusedByTheOtherWithAFreshChallenge() {
        Request captured = registeredOnTheFirstReplica("mallory-" + System.nanoTime());

        // the same Authorization header (nonce, nc, cnonce, response) in a new REGISTER: next CSeq, same Call-ID
        Request replay = ua.followUp(captured);
        Response onTheSecond = ua.sendAsync(replay, secondReplica()).join();

        assertThat(onTheSecond.getStatusCode()).isEqualTo(401);
        assertThat(DigestClient.challenges(onTheSecond)).isNotEmpty()
                .allMatch(WWWAuthenticateHeader::isStale)
                .allSatisfy(c -> assertThat(c.getNonce()).isNotEqualTo(nonceOf(captured)));
    }

    @Test
    void anAuthorizationReplayedOnTheSameReplicaIsStillRefused() {
        Request captured = registeredOnTheFirstReplica("trudy-" + System.nanoTime());

        Response onTheFirst = ua.send(ua.followUp(captured));

        assertThat(onTheFirst.getStatusCode()).isEqualTo(401);
        assertThat(DigestClient.challenges(onTheFirst)).isNotEmpty().allMatch(WWWAuthenticateHeader::isStale);
    }

    @Test
    void aRetransmissionOfTheSameRequestThatReachesTheOtherReplicaIsAnswered200() throws Exception {
        Request authorized = registeredOnTheFirstReplica("walter-" + System.nanoTime());

        // the same request (Call-ID, CSeq, Authorization) in a new client transaction, as when the edge sends a
        // retransmission to another replica
        Request retransmission = (Request) authorized.clone();
        ((ViaHeader) retransmission.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK" + UUID.randomUUID());
        Response onTheSecond = ua.sendAsync(retransmission, secondReplica()).join();

        assertThat(onTheSecond.getStatusCode()).isEqualTo(200);
    }

    @Test
    void theNextNonceCountIsAcceptedByTheOtherReplica() {
        String user = "victor-" + System.nanoTime();
        first.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        Request register = ua.register(user, RunningRegistrar.DOMAIN).build();
        Response challenge = ua.send(register);
        Request withNc1 = ua.authorize(register, challenge, creds, 1);
        assertThat(ua.send(withNc1).getStatusCode()).isEqualTo(200);

        Response withNc2OnTheSecond = ua.sendAsync(ua.authorize(withNc1, challenge, creds, 2), secondReplica()).join();

        assertThat(withNc2OnTheSecond.getStatusCode()).isEqualTo(200);
    }
}
