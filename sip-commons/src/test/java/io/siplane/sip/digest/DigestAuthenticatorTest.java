package io.siplane.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.siplane.sip.digest.AuthOutcome.Authenticated;
import io.siplane.sip.digest.AuthOutcome.Challenge;
import io.siplane.sip.digest.AuthOutcome.LockedOut;
import io.siplane.sip.digest.AuthOutcome.Reason;

class DigestAuthenticatorTest {

    private static final String REALM = "example.com";
    private static final String SECRET = "0123456789abcdef-test-secret";
    private static final String URI = "sip:example.com";

    private final MutableClock clock = new MutableClock();
    private final Map<String, Ha1Hashes> users = Map.of("alice", new Ha1Hashes(
            DigestAlgorithm.MD5.hash("alice:" + REALM + ":secret"), DigestAlgorithm.SHA_256.hash("alice:" + REALM + ":secret")));
    private final Ha1Source source = (user, realm) -> REALM.equals(realm) ? Optional.ofNullable(users.get(user)) : Optional.empty();
    private final DigestAuthenticator auth = authenticator(SECRET);

    private DigestAuthenticator authenticator(String secret) {
        return new DigestAuthenticator(DigestProperties.withSecret(secret).withAlgorithms(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256),
                secret.getBytes(), source, clock);
    }

    private DigestCredentials answer(DigestChallenge c, String user, String password, DigestAlgorithm alg, String nc) {
        String ha1 = alg.hash(user + ":" + c.realm() + ":" + password);
        String response = alg.response(ha1, "REGISTER", URI, c.nonce(), nc, "cn0nce", "auth");
        return new DigestCredentials(user, c.realm(), c.nonce(), URI, response, Optional.of(alg.wireName()),
                Optional.of("auth"), Optional.of(nc), Optional.of("cn0nce"), Optional.empty());
    }

    private AuthOutcome check(DigestCredentials c, String source, String requestKey) {
        return auth.authenticate("REGISTER", URI, REALM, source, requestKey, List.of(c));
    }

    private DigestChallenge challenge(DigestAlgorithm alg) {
        return auth.challenges(REALM, false).stream().filter(c -> c.algorithm() == alg).findFirst().orElseThrow();
    }

    @Test
    void challengesOfferMd5FirstThenSha256WithQopAuth() {
        List<DigestChallenge> challenges = auth.challenges(REALM, false);

        assertThat(challenges).extracting(DigestChallenge::algorithm).containsExactly(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256);
        assertThat(challenges).allSatisfy(c -> {
            assertThat(c.qop()).isEqualTo("auth");
            assertThat(c.realm()).isEqualTo(REALM);
            assertThat(c.stale()).isFalse();
        });
    }

    @Test
    void rightMd5AndSha256CredentialsAuthenticate() {
        for (DigestAlgorithm alg : DigestAlgorithm.values()) {
            AuthOutcome outcome = check(answer(challenge(alg), "alice", "secret", alg, "00000001"), "10.0.0.1", "k1");

            assertThat(outcome).isEqualTo(new Authenticated("alice", REALM, alg));
        }
    }

    @Test
    void noCredentialsForOurRealmIsAPlainChallenge() {
        assertThat(auth.authenticate("REGISTER", URI, REALM, "10.0.0.1", "k", List.of())).isEqualTo(new Challenge(Reason.NO_CREDENTIALS));
    }

    @Test
    void unknownUserFailsExactlyLikeAWrongPassword() {
        AuthOutcome wrongPassword = check(answer(challenge(DigestAlgorithm.MD5), "alice", "guess", DigestAlgorithm.MD5, "00000001"), "10.0.0.2", "a");
        AuthOutcome unknownUser = check(answer(challenge(DigestAlgorithm.MD5), "mallory", "guess", DigestAlgorithm.MD5, "00000001"), "10.0.0.3", "b");

        assertThat(wrongPassword).isEqualTo(new Challenge(Reason.BAD_CREDENTIALS)).isEqualTo(unknownUser);
    }

    @Test
    void expiredNonceWithRightCredentialsIsStale() {
        DigestChallenge c = challenge(DigestAlgorithm.SHA_256);
        clock.advance(Duration.ofSeconds(301));

        AuthOutcome outcome = check(answer(c, "alice", "secret", DigestAlgorithm.SHA_256, "00000001"), "10.0.0.1", "k");

        assertThat(outcome).isInstanceOfSatisfying(Challenge.class, ch -> {
            assertThat(ch.reason()).isEqualTo(Reason.STALE_NONCE);
            assertThat(ch.stale()).isTrue();
        });
    }

    @Test
    void replayedNonceCountIsRefusedButARetransmissionOfTheSameRequestIsNot() {
        DigestChallenge c = challenge(DigestAlgorithm.MD5);
        DigestCredentials nc1 = answer(c, "alice", "secret", DigestAlgorithm.MD5, "00000001");

        assertThat(check(nc1, "10.0.0.1", "call-1 2")).isInstanceOf(Authenticated.class);
        assertThat(check(nc1, "10.0.0.1", "call-1 2")).as("retransmission").isInstanceOf(Authenticated.class);
        assertThat(check(nc1, "10.0.0.1", "call-1 3")).isEqualTo(new Challenge(Reason.REPLAYED_NONCE_COUNT));
        assertThat(check(answer(c, "alice", "secret", DigestAlgorithm.MD5, "00000002"), "10.0.0.1", "call-1 3"))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void nonceIssuedByAnotherInstanceWithTheSameSecretIsAccepted() {
        DigestAuthenticator other = authenticator(SECRET);
        DigestChallenge fromOther = other.challenges(REALM, false).get(0);

        assertThat(check(answer(fromOther, "alice", "secret", DigestAlgorithm.MD5, "00000001"), "10.0.0.1", "k"))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void nonceFromAnotherSecretOrRealmIsInvalid() {
        DigestChallenge foreign = authenticator("another-secret-of-16+chars").challenges(REALM, false).get(0);
        DigestChallenge otherRealm = auth.challenges("other.org", false).get(0);

        assertThat(check(answer(foreign, "alice", "secret", DigestAlgorithm.MD5, "00000001"), "10.0.0.1", "k"))
                .isEqualTo(new Challenge(Reason.INVALID_NONCE));
        DigestChallenge relabelled = new DigestChallenge(REALM, otherRealm.nonce(), DigestAlgorithm.MD5, "auth", false);
        assertThat(check(answer(relabelled, "alice", "secret", DigestAlgorithm.MD5, "00000001"), "10.0.0.1", "k"))
                .isEqualTo(new Challenge(Reason.INVALID_NONCE));
    }

    @Test
    void sourceIsLockedOutAfterMaxFailuresWithinTheWindowThenReleasedAfterTheCoolDown() {
        for (int i = 1; i <= 5; i++) {
            assertThat(check(answer(challenge(DigestAlgorithm.MD5), "alice", "guess" + i, DigestAlgorithm.MD5, "00000001"), "10.9.9.9", "k" + i))
                    .isEqualTo(new Challenge(Reason.BAD_CREDENTIALS));
        }
        DigestCredentials right = answer(challenge(DigestAlgorithm.MD5), "alice", "secret", DigestAlgorithm.MD5, "00000001");

        assertThat(check(right, "10.9.9.9", "ok")).isInstanceOf(LockedOut.class);
        assertThat(check(right, "10.1.1.1", "ok")).as("other sources unaffected").isInstanceOf(Authenticated.class);
    }

    @Test
    void aLockedUserFromOneAddressLocksNeitherOtherUsersThereNorThatUserElsewhere() {
        Map<String, Ha1Hashes> two = Map.of("alice", users.get("alice"), "bob", new Ha1Hashes(
                DigestAlgorithm.MD5.hash("bob:" + REALM + ":bobpw"), DigestAlgorithm.SHA_256.hash("bob:" + REALM + ":bobpw")));
        DigestAuthenticator shared = new DigestAuthenticator(DigestProperties.withSecret(SECRET), SECRET.getBytes(),
                (user, realm) -> Optional.ofNullable(two.get(user)), clock);
        DigestChallenge c = shared.challenges(REALM, false).get(0);
        for (int i = 1; i <= 5; i++) {
            shared.authenticate("REGISTER", URI, REALM, "10.7.7.7", "w" + i, List.of(answer(c, "alice", "guess", DigestAlgorithm.MD5, "00000001")));
        }

        assertThat(shared.authenticate("REGISTER", URI, REALM, "10.7.7.7", "a", List.of(answer(c, "alice", "secret", DigestAlgorithm.MD5, "00000002"))))
                .isInstanceOf(LockedOut.class);
        assertThat(shared.authenticate("REGISTER", URI, REALM, "10.7.7.7", "b", List.of(answer(c, "bob", "bobpw", DigestAlgorithm.MD5, "00000003"))))
                .as("another user from the attacker's address").isInstanceOf(Authenticated.class);
        assertThat(shared.authenticate("REGISTER", URI, REALM, "10.7.7.8", "c", List.of(answer(c, "alice", "secret", DigestAlgorithm.MD5, "00000004"))))
                .as("alice from another address").isInstanceOf(Authenticated.class);
        assertThat(shared.authenticate("REGISTER", URI, REALM, "10.7.7.7", "d", List.of()))
                .as("no credentials: the user is not known yet").isEqualTo(new Challenge(Reason.NO_CREDENTIALS));
    }

    @Test
    void anAddressFailingForTwentyUsersIsRefusedForEveryUserIncludingWithoutCredentials() {
        DigestChallenge c = challenge(DigestAlgorithm.MD5);
        for (int i = 1; i <= 20; i++) {
            check(answer(c, "user" + i, "guess", DigestAlgorithm.MD5, "00000001"), "10.6.6.6", "u" + i);
        }

        assertThat(check(answer(c, "alice", "secret", DigestAlgorithm.MD5, "00000002"), "10.6.6.6", "x")).isInstanceOf(LockedOut.class);
        assertThat(auth.authenticate("REGISTER", URI, REALM, "10.6.6.6", "y", List.of())).isInstanceOf(LockedOut.class);
        assertThat(check(answer(c, "alice", "secret", DigestAlgorithm.MD5, "00000003"), "10.6.6.5", "z")).isInstanceOf(Authenticated.class);
    }

    @Test
    void credentialsForAnotherRequestUriAreABadRequestAndDoNotCountAsAFailure() {
        DigestCredentials right = answer(challenge(DigestAlgorithm.MD5), "alice", "secret", DigestAlgorithm.MD5, "00000001");

        for (int i = 1; i <= 6; i++) {
            assertThat(auth.authenticate("REGISTER", "sip:other.example.com", REALM, "10.5.5.5", "m" + i, List.of(right)))
                    .isEqualTo(new AuthOutcome.BadRequest("Digest uri does not match Request-URI"));
        }
        assertThat(check(right, "10.5.5.5", "ok")).isInstanceOf(Authenticated.class);
    }

    @Test
    void successForgetsEarlierFailures() {
        for (int i = 1; i <= 4; i++) {
            check(answer(challenge(DigestAlgorithm.MD5), "alice", "guess", DigestAlgorithm.MD5, "00000001"), "10.8.8.8", "f" + i);
        }
        check(answer(challenge(DigestAlgorithm.MD5), "alice", "secret", DigestAlgorithm.MD5, "00000001"), "10.8.8.8", "s");
        for (int i = 1; i <= 4; i++) {
            check(answer(challenge(DigestAlgorithm.MD5), "alice", "guess", DigestAlgorithm.MD5, "00000001"), "10.8.8.8", "g" + i);
        }

        assertThat(check(answer(challenge(DigestAlgorithm.MD5), "alice", "secret", DigestAlgorithm.MD5, "00000001"), "10.8.8.8", "t"))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void credentialsWithoutQopAuthOrWithAnUnofferedAlgorithmAreMalformed() {
        DigestChallenge c = challenge(DigestAlgorithm.MD5);
        DigestCredentials good = answer(c, "alice", "secret", DigestAlgorithm.MD5, "00000001");
        DigestCredentials noQop = new DigestCredentials("alice", REALM, c.nonce(), URI, good.response(), good.algorithm(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        DigestCredentials sess = new DigestCredentials("alice", REALM, c.nonce(), URI, good.response(), Optional.of("MD5-sess"),
                good.qop(), good.nc(), good.cnonce(), Optional.empty());

        assertThat(check(noQop, "10.0.0.1", "a")).isEqualTo(new Challenge(Reason.MALFORMED));
        assertThat(check(sess, "10.0.0.1", "b")).isEqualTo(new Challenge(Reason.MALFORMED));
    }

    @Test
    void missingNonceSecretIsRefusedWithAClearMessageUnlessTheDevSecretIsEnabled() {
        assertThatThrownBy(() -> new DigestProperties("", false, Duration.ofMinutes(5), List.of(DigestAlgorithm.MD5), 5,
                Duration.ofMinutes(1), Duration.ofMinutes(5), 1000, 1000, 0))
                .hasMessageContaining("SIP_NONCE_SECRET");
        assertThatThrownBy(() -> DigestProperties.withSecret("short")).hasMessageContaining("at least 16");
        assertThat(new DigestProperties("", true, Duration.ofMinutes(5), List.of(DigestAlgorithm.MD5), 5,
                Duration.ofMinutes(1), Duration.ofMinutes(5), 1000, 1000, 0).toString()).doesNotContain("secret=");
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
