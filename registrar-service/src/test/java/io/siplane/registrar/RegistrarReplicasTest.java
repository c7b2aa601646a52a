package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.siplane.location.AddressOfRecord;
import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.DigestClient;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;

/** Two registrar instances sharing one nonce secret and one Redis, as replicas behind the gateway. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrarReplicasTest {

    private static final String DOMAIN = RunningRegistrar.DOMAIN;
    private RunningRegistrar first;
    private RunningRegistrar second;
    private TestUserAgent ua;

    @BeforeAll
    void start() {
        first = RunningRegistrar.start();
        // a short nonce lifetime on the second replica, to see nonces go stale there
        second = RunningRegistrar.start("sip.digest.nonce-lifetime=2s");
        ua = TestUserAgent.tcp();
    }

    @AfterAll
    void stop() {
        ua.close();
        first.close();
        second.close();
    }

    @Test
    void nonceIssuedByOneInstanceIsAcceptedByAnotherWithTheSameSecret() {
        String user = "rep-" + UUID.randomUUID().toString().substring(0, 8);
        second.subscriber(user, "pw");
        Request register = ua.register(user, DOMAIN).build();

        Response challengeFromSecond = ua.sendAsync(register, SipTarget.loopback(second.sipPort())).join();
        Response answerToFirst = ua.sendAsync(ua.authorize(register, challengeFromSecond, Credentials.md5(user, "pw")),
                SipTarget.loopback(first.sipPort())).join();

        assertThat(challengeFromSecond.getStatusCode()).isEqualTo(401);
        assertThat(answerToFirst.getStatusCode()).isEqualTo(200);
        assertThat(first.store().lookup(AddressOfRecord.of(user, DOMAIN))).hasSize(1);
    }

    @Test
    void expiredNonceWithRightCredentialsGets401WithStaleTrueAndAFreshNonceWorks() {
        String user = "stale-" + UUID.randomUUID().toString().substring(0, 8);
        first.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        SipTarget target = SipTarget.loopback(second.sipPort());
        Request register = ua.register(user, DOMAIN).build();
        Response challenge = ua.sendAsync(register, target).join();

        Response[] stale = new Response[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            stale[0] = ua.sendAsync(ua.authorize(register, challenge, creds), target).join();
            return stale[0].getStatusCode() == 401;
        });

        assertThat(DigestClient.challenges(stale[0])).hasSize(1).allSatisfy(c -> assertThat(c.isStale()).isTrue());
        assertThat(SipHeaders.values(stale[0], "WWW-Authenticate")).allSatisfy(v -> assertThat(v).containsIgnoringCase("stale=true"));
        Response retried = ua.sendAsync(ua.authorize(register, stale[0], creds), target).join();
        assertThat(retried.getStatusCode()).isEqualTo(200);
    }
}
