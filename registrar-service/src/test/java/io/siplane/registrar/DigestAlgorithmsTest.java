package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.location.AddressOfRecord;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.DigestClient;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * SHA-256 (RFC 8760) on request: a registrar with {@code sip.digest.algorithms=SHA-256,MD5} (what
 * {@code SIP_DIGEST_ALGORITHMS=SHA-256,MD5} sets) offers both challenges in that order and lets clients of either
 * algorithm in. The default, one MD5 challenge, is in {@code RegisterOverSipTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DigestAlgorithmsTest {

    private RunningRegistrar registrar;

    @BeforeAll
    void start() {
        registrar = RunningRegistrar.start("sip.digest.algorithms=SHA-256,MD5");
    }

    @AfterAll
    void stop() {
        registrar.close();
    }

    private TestUserAgent ua(String transport) {
        return TestUserAgent.start(transport).sendingTo(registrar.sipPort());
    }

    private String newSubscriber(String base, String password) {
        String user = base + "-" + UUID.randomUUID().toString().substring(0, 8);
        registrar.subscriber(user, password);
        return user;
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void sha256AndMd5ChallengesAreOfferedInTheConfiguredOrder(String transport) {
        String user = newSubscriber("both", "pw");

        Response challenge;
        try (TestUserAgent ua = ua(transport)) {
            challenge = ua.register(user, RunningRegistrar.DOMAIN).send();
        }

        assertThat(challenge.getStatusCode()).isEqualTo(401);
        assertThat(DigestClient.challenges(challenge)).extracting(WWWAuthenticateHeader::getAlgorithm).containsExactly("SHA-256", "MD5");
    }

    @ParameterizedTest(name = "{1} over {0}")
    @CsvSource({"udp,SHA-256", "tcp,SHA-256", "udp,MD5", "tcp,MD5"})
    void aClientOfEitherAlgorithmRegisters(String transport, String algorithm) {
        String user = newSubscriber("alg", "s3cret");

        Response response;
        try (TestUserAgent ua = ua(transport)) {
            response = ua.register(user, RunningRegistrar.DOMAIN).send(new Credentials(user, "s3cret", algorithm));
        }

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(registrar.store().lookup(AddressOfRecord.of(user, RunningRegistrar.DOMAIN))).hasSize(1);
    }
}
