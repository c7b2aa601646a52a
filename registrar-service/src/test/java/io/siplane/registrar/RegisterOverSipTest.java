package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sip.header.ContactHeader;
import javax.sip.header.DateHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.redis.RedisSchema;
import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.DigestClient;
import io.siplane.testsupport.sip.TestUserAgent;

/** The registrar over real SIP (UDP and TCP, JAIN-SIP test user agents) against a real Redis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegisterOverSipTest {

    private static final String DOMAIN = RunningRegistrar.DOMAIN;
    private RunningRegistrar registrar;
    private TestUserAgent udp;
    private TestUserAgent tcp;

    @BeforeAll
    void start() {
        registrar = RunningRegistrar.start("sip.digest.lockout=3s", "registrar.trusted-edges=127.0.0.24",
                "sip.trusted-edges=127.0.0.25");
        udp = TestUserAgent.udp().sendingTo(registrar.sipPort());
        tcp = TestUserAgent.tcp().sendingTo(registrar.sipPort());
    }

    @AfterAll
    void stop() {
        udp.close();
        tcp.close();
        registrar.close();
    }

    private TestUserAgent ua(String transport) {
        return "tcp".equals(transport) ? tcp : udp;
    }

    private static String newUser(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static AddressOfRecord aor(String user) {
        return AddressOfRecord.of(user, DOMAIN);
    }

    private List<Binding> bindings(String user) {
        return registrar.store().lookup(aor(user));
    }

    private static List<ContactHeader> contacts(Response r) {
        return SipHeaders.all(r, ContactHeader.NAME, ContactHeader.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void registerWithoutCredentialsIsChallengedWith401OfferingOneMd5ChallengeWithQopAuth(String transport) {
        String user = newUser("carol");
        registrar.subscriber(user, "pw");

        Response response = ua(transport).register(user, DOMAIN).send();

        assertThat(response.getStatusCode()).isEqualTo(401);
        List<WWWAuthenticateHeader> challenges = DigestClient.challenges(response);
        // one challenge by default: a second one naming SHA-256 makes Debian 12's baresip give up (DigestAlgorithmsTest)
        assertThat(challenges).extracting(WWWAuthenticateHeader::getAlgorithm).containsExactly("MD5");
        assertThat(challenges).allSatisfy(c -> {
            assertThat(c.getRealm()).isEqualTo(DOMAIN);
            assertThat(c.getQop()).isEqualTo("auth");
            assertThat(c.getNonce()).isNotBlank();
        });
        assertThat(registrar.redis().hasKey(RedisSchema.contactsKey(aor(user)))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void md5DigestRegistersAndTheBindingLandsInRedisWithSourceCallIdAndCSeq(String transport) {
        String user = newUser("alice");
        registrar.subscriber(user, "secret");
        TestUserAgent ua = ua(transport);

        Response response = ua.register(user, DOMAIN).expires(600).header("User-Agent", "siplane-test").send(Credentials.md5(user, "secret"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(contacts(response)).singleElement().satisfies(c -> {
            assertThat(c.getAddress().getURI().toString()).isEqualTo(ua.contactUri(user));
            assertThat(c.getExpires()).isBetween(595, 600);
        });
        assertThat(response.getHeader(DateHeader.NAME)).isNotNull();
        assertThat(registrar.redis().hasKey(RedisSchema.contactsKey(aor(user)))).isTrue();
        assertThat(bindings(user)).singleElement().satisfies(b -> {
            assertThat(b.contactUri()).isEqualTo(ua.contactUri(user));
            assertThat(b.callId()).isEqualTo(ua.registrationCallId(aor(user).uri()));
            assertThat(b.cseq()).isEqualTo(2);
            assertThat(b.received()).hasValueSatisfying(r -> {
                assertThat(r.transport()).isEqualTo(transport);
                assertThat(r.address()).isEqualTo("127.0.0.1");
                assertThat(r.port()).isPositive();
            });
            assertThat(b.userAgent()).contains("siplane-test");
        });
    }

    @Test
    void wrongPasswordIsChallengedAgainAndStoresNothing() {
        String user = newUser("dave");
        registrar.subscriber(user, "right");
        try (TestUserAgent ua = TestUserAgent.onAddress("udp", "127.0.0.21").sendingTo(registrar.sipPort())) {
            Response response = ua.register(user, DOMAIN).send(Credentials.md5(user, "wrong"));

            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(DigestClient.challenges(response)).hasSize(1).allSatisfy(c -> assertThat(c.isStale()).isFalse());
        }
        assertThat(bindings(user)).isEmpty();
    }

    @Test
    void unknownUserIsAnsweredExactlyLikeAWrongPassword() {
        String known = newUser("erin");
        registrar.subscriber(known, "right");
        String unknown = newUser("nobody");
        try (TestUserAgent ua = TestUserAgent.onAddress("udp", "127.0.0.22").sendingTo(registrar.sipPort())) {
            Response wrongPassword = ua.register(known, DOMAIN).send(Credentials.md5(known, "wrong"));
            Response unknownUser = ua.register(unknown, DOMAIN).send(Credentials.md5(unknown, "wrong"));

            assertThat(shape(unknownUser)).isEqualTo(shape(wrongPassword));
            assertThat(unknownUser.getStatusCode()).isEqualTo(401);
        }
    }

    /** Status, reason, header names and challenge parameters; the nonce, tags and ids are per request. */
    private static Map<String, Object> shape(Response r) {
        return Map.of(
                "status", r.getStatusCode(),
                "reason", r.getReasonPhrase(),
                "headers", SipHeaders.all(r, "WWW-Authenticate", WWWAuthenticateHeader.class).stream()
                        .map(c -> c.getRealm() + "|" + c.getAlgorithm() + "|" + c.getQop() + "|" + c.isStale() + "|" + c.getNonce().length())
                        .collect(Collectors.toList()),
                "names", headerNames(r));
    }

    private static List<String> headerNames(Response r) {
        List<String> names = new java.util.ArrayList<>();
        r.getHeaderNames().forEachRemaining(n -> names.add(String.valueOf(n)));
        return names;
    }

    @Test
    void afterFiveFailuresASourceIsRefused403EvenWithTheRightPasswordUntilTheCoolDownEnds() {
        String user = newUser("frank");
        registrar.subscriber(user, "right");
        try (TestUserAgent attacker = TestUserAgent.onAddress("udp", "127.0.0.23").sendingTo(registrar.sipPort())) {
            for (int i = 0; i < 5; i++) {
                assertThat(attacker.register(user, DOMAIN).send(Credentials.md5(user, "guess" + i)).getStatusCode()).isEqualTo(401);
            }

            assertThat(attacker.register(user, DOMAIN).send(Credentials.md5(user, "right")).getStatusCode()).isEqualTo(403);
            // without credentials the user is not known yet: challenged, and the answer to the challenge is refused
            assertThat(attacker.register(user, DOMAIN).send().getStatusCode()).as("without credentials").isEqualTo(401);
            assertThat(udp.register(user, DOMAIN).send(Credentials.md5(user, "right")).getStatusCode())
                    .as("another source is not locked out").isEqualTo(200);
            String other = newUser("grace");
            registrar.subscriber(other, "right");
            assertThat(attacker.register(other, DOMAIN).send(Credentials.md5(other, "right")).getStatusCode())
                    .as("another user from the locked address").isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(attacker.register(user, DOMAIN).send(Credentials.md5(user, "right")).getStatusCode()).isEqualTo(200));
        }
    }

    @Test
    void replayedNonceCountIsRefusedWithStaleAndTheNextCountIsAccepted() {
        String user = newUser("gina");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        Request first = udp.register(user, DOMAIN).build();
        Response challenge = udp.send(first);

        Request withNc1 = udp.authorize(first, challenge, creds, 1);
        assertThat(udp.send(withNc1).getStatusCode()).isEqualTo(200);
        Response replay = udp.send(udp.authorize(withNc1, challenge, creds, 1));

        assertThat(replay.getStatusCode()).isEqualTo(401);
        assertThat(DigestClient.challenges(replay)).allSatisfy(c -> assertThat(c.isStale()).isTrue());
        assertThat(udp.send(udp.authorize(withNc1, challenge, creds, 2)).getStatusCode()).isEqualTo(200);
    }

    @Test
    void retransmittedRegisterIsAnsweredAgainWithTheSame200() {
        String user = newUser("hank");
        registrar.subscriber(user, "pw");
        Request first = udp.register(user, DOMAIN).build();
        Request authorized = udp.authorize(first, udp.send(first), Credentials.md5(user, "pw"));

        Response original = udp.sendStatelessUntilAnswered(authorized, Duration.ofSeconds(20));
        Response repeat = udp.sendStatelessUntilAnswered(authorized, Duration.ofSeconds(20));

        assertThat(original.getStatusCode()).isEqualTo(200);
        assertThat(repeat.getStatusCode()).isEqualTo(200);
        assertThat(((ToHeader) repeat.getHeader(ToHeader.NAME)).getTag()).isEqualTo(((ToHeader) original.getHeader(ToHeader.NAME)).getTag());
        assertThat(bindings(user)).singleElement().extracting(Binding::cseq).isEqualTo(2L);
    }

    @Test
    void registeringSomeoneElsesAorIsForbidden() {
        String alice = newUser("ivy");
        String bob = newUser("jack");
        registrar.subscriber(alice, "pw");
        registrar.subscriber(bob, "pw2");

        Response response = udp.register(alice, DOMAIN).to("sip:" + bob + "@" + DOMAIN).send(Credentials.md5(alice, "pw"));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(bindings(bob)).isEmpty();
    }

    @Test
    void foreignDomainInTheRequestUriIsNotFound() {
        Response response = udp.request(Request.REGISTER, "sip:elsewhere.net").from("sip:kim@elsewhere.net").to("sip:kim@elsewhere.net")
                .ownContact("kim", "").send();

        assertThat(response.getStatusCode()).isEqualTo(404);
    }

    @Test
    void registerWithMaxForwardsZeroIsAnswered483AndStoresNothing() {
        String user = newUser("hops");
        registrar.subscriber(user, "pw");

        Response response = udp.register(user, DOMAIN).maxForwards(0).send(Credentials.md5(user, "pw"));

        assertThat(response.getStatusCode()).isEqualTo(483);
        assertThat(bindings(user)).isEmpty();
    }

    @Test
    void aMethodOtherThanRegisterIsAnswered405AllowingRegisterOnly() {
        Response response = udp.request("OPTIONS", "sip:" + DOMAIN).send();

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(SipHeaders.values(response, "Allow")).containsExactly("REGISTER");
    }

    @Test
    void unsupportedRequiredExtensionIsRejected420WithUnsupportedButPathIsSupported() {
        String user = newUser("lea");
        registrar.subscriber(user, "pw");

        Response bad = udp.register(user, DOMAIN).header("Require", "foo").send();
        Response path = udp.register(user, DOMAIN).header("Require", "path").header("Supported", "path").send(Credentials.md5(user, "pw"));

        assertThat(bad.getStatusCode()).isEqualTo(420);
        assertThat(SipHeaders.optionTags(bad, "Unsupported")).containsExactly("foo");
        assertThat(path.getStatusCode()).isEqualTo(200);
    }

    @Test
    void expiresBelowTheMinimumIsRejected423WithMinExpires() {
        String user = newUser("mia");
        registrar.subscriber(user, "pw");

        Response response = udp.register(user, DOMAIN).expires(10).send(Credentials.md5(user, "pw"));

        assertThat(response.getStatusCode()).isEqualTo(423);
        assertThat(((MinExpiresHeader) response.getHeader(MinExpiresHeader.NAME)).getExpires()).isEqualTo(60);
        assertThat(bindings(user)).isEmpty();
    }

    @Test
    void expiresAboveTheMaximumIsShortenedAndTheContactParameterWinsOverTheHeader() {
        String user = newUser("noah");
        registrar.subscriber(user, "pw");

        Response response = udp.register(user, DOMAIN).expires(100_000)
                .contact("<sip:" + user + "@127.0.0.1:7001>;expires=300").send(Credentials.md5(user, "pw"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        Map<String, Integer> expires = contacts(response).stream()
                .collect(Collectors.toMap(c -> c.getAddress().getURI().toString(), ContactHeader::getExpires));
        assertThat(expires.get(udp.contactUri(user))).isBetween(7195, 7200);
        assertThat(expires.get("sip:" + user + "@127.0.0.1:7001")).isBetween(295, 300);
    }

    @Test
    void expiresZeroRemovesThatContactOnly() {
        String user = newUser("olga");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        udp.register(user, DOMAIN).contact("<sip:" + user + "@127.0.0.1:7002>").send(creds);

        Response response = udp.register(user, DOMAIN).expires(0).send(creds);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(contacts(response)).extracting(c -> c.getAddress().getURI().toString()).containsExactly("sip:" + user + "@127.0.0.1:7002");
        assertThat(bindings(user)).extracting(Binding::contactUri).containsExactly("sip:" + user + "@127.0.0.1:7002");
    }

    @Test
    void starWithExpiresZeroRemovesEveryContactOfTheAor() {
        String user = newUser("pete");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        udp.register(user, DOMAIN).contact("<sip:" + user + "@127.0.0.1:7003>").send(creds);
        assertThat(bindings(user)).hasSize(2);

        Response response = udp.register(user, DOMAIN).withoutContacts().contact("*").expires(0).send(creds);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(contacts(response)).isEmpty();
        assertThat(bindings(user)).isEmpty();
        assertThat(registrar.redis().hasKey(RedisSchema.contactsKey(aor(user)))).isFalse();
    }

    @Test
    void starWithNonZeroExpiresOrWithOtherContactsIsABadRequest() {
        String user = newUser("quinn");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        udp.register(user, DOMAIN).send(creds);

        Response nonZero = udp.register(user, DOMAIN).withoutContacts().contact("*").expires(3600).send(creds);
        Response mixed = udp.register(user, DOMAIN).contact("*").expires(0).send(creds);

        assertThat(nonZero.getStatusCode()).isEqualTo(400);
        assertThat(mixed.getStatusCode()).isEqualTo(400);
        assertThat(bindings(user)).hasSize(1);
    }

    @Test
    void olderCSeqForTheSameCallIdIsRefused500AndChangesNothing() throws Exception {
        String user = newUser("rita");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        String callId = udp.registrationCallId(aor(user).uri());
        Request first = udp.register(user, DOMAIN).cseq(10).expires(600).build();
        assertThat(udp.sendAuthenticated(first, creds).getStatusCode()).isEqualTo(200);

        Request older = udp.register(user, DOMAIN).callId(callId).cseq(5).expires(1200).build();
        Response challenge = udp.send(older);
        Request olderAuthorized = udp.authorize(older, challenge, creds);
        // authorize() moved it to the next CSeq of the Call-ID: put it back below the stored one
        ((javax.sip.header.CSeqHeader) olderAuthorized.getHeader("CSeq")).setSeqNumber(6);
        Response response = udp.send(olderAuthorized);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(bindings(user)).singleElement().satisfies(b -> {
            assertThat(b.cseq()).isEqualTo(11);
            assertThat(b.expiresIn(java.time.Instant.now())).isLessThanOrEqualTo(600);
        });
    }

    @Test
    void threeDevicesOfOneAorAreAllListedWithTheirRemainingExpiresAndQValues() {
        String user = newUser("sam");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        try (TestUserAgent desk = TestUserAgent.udp().sendingTo(registrar.sipPort());
             TestUserAgent mobile = TestUserAgent.tcp().sendingTo(registrar.sipPort());
             TestUserAgent laptop = TestUserAgent.udp().sendingTo(registrar.sipPort())) {
            assertThat(desk.register(user, DOMAIN).withoutContacts().ownContact(user, ";q=1.0").expires(3600).send(creds).getStatusCode()).isEqualTo(200);
            assertThat(mobile.register(user, DOMAIN).withoutContacts().ownContact(user, ";q=0.5").expires(1800).send(creds).getStatusCode()).isEqualTo(200);
            Response last = laptop.register(user, DOMAIN).withoutContacts().ownContact(user, ";q=0.25").expires(900).send(creds);

            assertThat(last.getStatusCode()).isEqualTo(200);
            Map<String, ContactHeader> listed = contacts(last).stream()
                    .collect(Collectors.toMap(c -> c.getAddress().getURI().toString(), c -> c));
            assertThat(listed).containsOnlyKeys(desk.contactUri(user), mobile.contactUri(user), laptop.contactUri(user));
            assertThat(listed.get(desk.contactUri(user)).getExpires()).isBetween(3590, 3600);
            assertThat(listed.get(mobile.contactUri(user)).getExpires()).isBetween(1790, 1800);
            assertThat(listed.get(laptop.contactUri(user)).getExpires()).isBetween(895, 900);
            assertThat(listed.get(mobile.contactUri(user)).getQValue()).isEqualTo(0.5f);
            assertThat(listed.get(laptop.contactUri(user)).getQValue()).isEqualTo(0.25f);
            assertThat(bindings(user)).extracting(Binding::contactUri)
                    .containsExactly(desk.contactUri(user), mobile.contactUri(user), laptop.contactUri(user));
        }
    }

    @Test
    void pathIsStoredAndEchoedWhenTheClientSupportsPath() {
        String user = newUser("tina");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");

        Response echoed = udp.register(user, DOMAIN).header("Supported", "path")
                .header("Path", "<sip:edge1.example.com;lr>").header("Path", "<sip:edge2.example.com;lr>").send(creds);

        assertThat(echoed.getStatusCode()).isEqualTo(200);
        assertThat(SipHeaders.values(echoed, "Path")).containsExactly("<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr>");
        assertThat(bindings(user)).singleElement().extracting(Binding::path)
                .isEqualTo(List.of("<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr>"));
    }

    @Test
    void pathIsStoredButNotEchoedWithoutSupportedPath() {
        String user = newUser("uma");
        registrar.subscriber(user, "pw");

        Response response = udp.register(user, DOMAIN).header("Path", "<sip:edge1.example.com;lr>").send(Credentials.md5(user, "pw"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(SipHeaders.values(response, "Path")).isEmpty();
        assertThat(bindings(user)).singleElement().extracting(Binding::path).isEqualTo(List.of("<sip:edge1.example.com;lr>"));
    }

    @Test
    void registerWithoutContactIsAQueryThatListsTheCurrentBindingsAndChangesNothing() {
        String user = newUser("vera");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        tcp.register(user, DOMAIN).send(creds);

        Response query = tcp.register(user, DOMAIN).withoutContacts().withoutExpires().send(creds);

        assertThat(query.getStatusCode()).isEqualTo(200);
        assertThat(contacts(query)).extracting(c -> c.getAddress().getURI().toString()).containsExactly(tcp.contactUri(user));
        assertThat(bindings(user)).singleElement().extracting(Binding::cseq).isEqualTo(2L);
    }

    @Test
    void invalidQValueIsABadRequest() {
        String user = newUser("walt");
        registrar.subscriber(user, "pw");

        Response response = udp.register(user, DOMAIN).withoutContacts().ownContact(user, ";q=2").send(Credentials.md5(user, "pw"));

        assertThat(response.getStatusCode()).isEqualTo(400);
    }

    @Test
    void theOldestContactIsDroppedBeyondTheMaximumPerAor() {
        String user = newUser("xena");
        registrar.subscriber(user, "pw");
        Credentials creds = Credentials.md5(user, "pw");
        for (int i = 1; i <= 11; i++) {
            assertThat(udp.register(user, DOMAIN).withoutContacts().contact("<sip:" + user + "@127.0.0.1:" + (7100 + i) + ">")
                    .send(creds).getStatusCode()).isEqualTo(200);
        }

        assertThat(bindings(user)).hasSize(10).extracting(Binding::contactUri).doesNotContain("sip:" + user + "@127.0.0.1:7101");
    }

    /** 127.0.0.24 is trusted through registrar.trusted-edges (the older name), 127.0.0.25 through sip.trusted-edges. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.24", "127.0.0.25"})
    void behindATrustedEdgeTheClientAddressComesFromTheViaBelowTheEdges(String edge) {
        String user = newUser("yves");
        registrar.subscriber(user, "pw");
        try (TestUserAgent gateway = TestUserAgent.onAddress("udp", edge).sendingTo(registrar.sipPort())) {
            Response response = gateway.register(user, DOMAIN)
                    .header("Via", "SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKphone1;received=203.0.113.9;rport=40000")
                    .send(Credentials.md5(user, "pw"));

            assertThat(response.getStatusCode()).isEqualTo(200);
        }
        assertThat(bindings(user)).singleElement().satisfies(b -> assertThat(b.received()).hasValueSatisfying(r -> {
            assertThat(r.address()).isEqualTo("203.0.113.9");
            assertThat(r.port()).isEqualTo(40000);
        }));
    }

    @Test
    void aClientThatIsNotATrustedEdgeCannotClaimAnotherAddressWithAForgedVia() {
        String user = newUser("zoe");
        registrar.subscriber(user, "pw");
        try (TestUserAgent client = TestUserAgent.onAddress("udp", "127.0.0.26").sendingTo(registrar.sipPort())) {
            Response response = client.register(user, DOMAIN)
                    .header("Via", "SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKforged;received=203.0.113.10;rport=40000")
                    .send(Credentials.md5(user, "pw"));

            assertThat(response.getStatusCode()).isEqualTo(200);
        }
        assertThat(bindings(user)).singleElement().satisfies(b -> assertThat(b.received()).hasValueSatisfying(r ->
                assertThat(r.address()).isEqualTo("127.0.0.26")));
    }

    /** RFC 3261 §22.4, RFC 7616 §3.4.6: credentials computed for one Request-URI are not accepted for another. */
    @Test
    void credentialsWhoseDigestUriNamesAnotherRequestUriAreABadRequest() throws Exception {
        String user = newUser("uri");
        registrar.subscriber(user, "pw");
        Request first = udp.register(user, DOMAIN).build();
        Request authorized = udp.authorize(first, udp.send(first), Credentials.md5(user, "pw"));
        authorized.setRequestURI(udp.factories().addresses().createURI("sip:registrar@" + DOMAIN));

        Response refused = udp.send(authorized);

        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(refused.getReasonPhrase()).isEqualTo("Digest uri does not match Request-URI");
        assertThat(bindings(user)).isEmpty();
    }

    @Test
    void unhandledMethodIsAnswered405AndTheRegistrarKeepsServing() {
        Response response = udp.request(Request.OPTIONS, "sip:" + DOMAIN).send();

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(SipHeaders.values(response, "Allow")).containsExactly("REGISTER");
    }

}
