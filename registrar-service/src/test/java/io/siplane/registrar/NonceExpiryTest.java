package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;

import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.sip.digest.DigestAuthenticator;
import io.siplane.sip.digest.HmacNonces;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.DigestClient;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * Nonce expiry over the wire (RFC 7616 §3.3): with a 1 s nonce lifetime, the right password on an expired nonce gets
 * 401 with {@code stale=true} on every challenge and a fresh nonce, with which the client gets in; a wrong password on
 * an expired nonce is a plain failure (stale only tells a client that knew the password).
 */
class NonceExpiryTest {

    static RunningRegistrar registrar;
    static TestUserAgent ua;

    @BeforeAll
    static void start() {
        registrar = RunningRegistrar.start("sip.digest.nonce-lifetime=1s");
        ua = TestUserAgent.udp().sendingTo(registrar.sipPort());
    }

    @AfterAll
    static void stop() {
        ua.close();
        registrar.close();
    }

    @Test
    void anExpiredNonceWithTheRightPasswordIsStaleAndTheFreshOneLetsTheClientIn() {
        registrar.subscriber("stale-sam", "right-password");
        Credentials creds = Credentials.md5("stale-sam", "right-password");
        Request register = ua.register("stale-sam", RunningRegistrar.DOMAIN).build();
        Response challenge = ua.send(register);
        assertThat(challenge.getStatusCode()).isEqualTo(401);

        // wait until the nonce is past its lifetime as the registrar's own check sees it (same secret, same clock)
        HmacNonces judge = new HmacNonces(DigestAuthenticator.secretBytes(RunningRegistrar.SECRET), Duration.ofSeconds(1),
                Clock.systemUTC());
        String issued = DigestClient.challenges(challenge).get(0).getNonce();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> judge.verify(issued, RunningRegistrar.DOMAIN) == HmacNonces.Status.STALE);
        Response wrongOnStale = ua.send(ua.authorize(register, challenge, Credentials.md5("stale-sam", "wrong")));
        assertThat(wrongOnStale.getStatusCode()).isEqualTo(401);
        assertThat(DigestClient.challenges(wrongOnStale)).noneMatch(WWWAuthenticateHeader::isStale);

        Response stale = ua.send(ua.authorize(register, challenge, creds));
        assertThat(stale.getStatusCode()).isEqualTo(401);
        assertThat(DigestClient.challenges(stale)).isNotEmpty().allMatch(WWWAuthenticateHeader::isStale);
        String oldNonce = DigestClient.challenges(challenge).get(0).getNonce();
        assertThat(DigestClient.challenges(stale).get(0).getNonce()).isNotEqualTo(oldNonce);

        assertThat(ua.send(ua.authorize(register, stale, creds)).getStatusCode()).isEqualTo(200);
    }
}
