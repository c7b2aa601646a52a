package io.siplane.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.siplane.sip.digest.AuthOutcome.Authenticated;
import io.siplane.sip.digest.AuthOutcome.Challenge;
import io.siplane.sip.digest.AuthOutcome.Reason;

/** {@code sip.digest.*} as Spring binds it: the challenges offered by default and on request. */
class DigestPropertiesTest {

    private static final String SECRET = "0123456789abcdef-test-secret";
    private static final String REALM = "example.com";
    private static final String URI = "sip:example.com";

    private static DigestProperties bind(String... nameValues) {
        Map<String, String> source = new HashMap<>(Map.of("sip.digest.nonce-secret", SECRET));
        for (int i = 0; i < nameValues.length; i += 2) {
            source.put(nameValues[i], nameValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(source)).bind("sip.digest", Bindable.of(DigestProperties.class)).get();
    }

    private static DigestAuthenticator authenticator(DigestProperties properties) {
        Ha1Hashes alice = new Ha1Hashes(DigestAlgorithm.MD5.hash("alice:" + REALM + ":secret"),
                DigestAlgorithm.SHA_256.hash("alice:" + REALM + ":secret"));
        return new DigestAuthenticator(properties, SECRET.getBytes(), (user, realm) -> Optional.of(alice), Clock.systemUTC());
    }

    private static DigestCredentials answer(DigestChallenge c, DigestAlgorithm alg) {
        String response = alg.response(alg.hash("alice:" + c.realm() + ":secret"), "REGISTER", URI, c.nonce(), "00000001", "cn0nce", "auth");
        return new DigestCredentials("alice", c.realm(), c.nonce(), URI, response, Optional.of(alg.wireName()),
                Optional.of("auth"), Optional.of("00000001"), Optional.of("cn0nce"), Optional.empty());
    }

    @Test
    void byDefaultOneMd5ChallengeIsOfferedAsPhonesThatKnowOnlyMd5Expect() {
        DigestProperties defaults = bind();

        assertThat(defaults.algorithms()).containsExactly(DigestAlgorithm.MD5);
        assertThat(authenticator(defaults).challenges(REALM, false)).extracting(DigestChallenge::algorithm)
                .containsExactly(DigestAlgorithm.MD5);
        assertThat(DigestProperties.withSecret(SECRET)).as("the tools' defaults are the service's").isEqualTo(defaults);
    }

    @Test
    void sha256IsOfferedOnRequestFirstOrAlone() {
        assertThat(bind("sip.digest.algorithms", "SHA-256,MD5").algorithms()).containsExactly(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
        assertThat(bind("sip.digest.algorithms", "SHA-256").algorithms()).containsExactly(DigestAlgorithm.SHA_256);

        DigestAuthenticator both = authenticator(bind("sip.digest.algorithms", "SHA-256,MD5"));
        List<DigestChallenge> offered = both.challenges(REALM, false);
        assertThat(offered).extracting(DigestChallenge::algorithm).containsExactly(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
        assertThat(both.authenticate("REGISTER", URI, REALM, "10.0.0.1", "k", List.of(answer(offered.get(0), DigestAlgorithm.SHA_256))))
                .isEqualTo(new Authenticated("alice", REALM, DigestAlgorithm.SHA_256));
    }

    @Test
    void anAnswerWithAnAlgorithmNotOfferedIsRefused() {
        DigestAuthenticator md5Only = authenticator(bind());
        DigestChallenge c = md5Only.challenges(REALM, false).get(0);

        assertThat(md5Only.authenticate("REGISTER", URI, REALM, "10.0.0.1", "a", List.of(answer(c, DigestAlgorithm.SHA_256))))
                .isEqualTo(new Challenge(Reason.MALFORMED));
        assertThat(md5Only.authenticate("REGISTER", URI, REALM, "10.0.0.1", "b", List.of(answer(c, DigestAlgorithm.MD5))))
                .isEqualTo(new Authenticated("alice", REALM, DigestAlgorithm.MD5));
    }
}
