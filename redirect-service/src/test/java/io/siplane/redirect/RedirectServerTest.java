package io.siplane.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import io.siplane.location.LocationStore;
import io.siplane.location.RegisterUpdate;
import io.siplane.location.Subscriber;
import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

@SpringBootTest(classes = RedirectApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sip.bind-address=127.0.0.1", "sip.advertised-address=127.0.0.1", "redirect.domains=redirect.test,other.test"})
class RedirectServerTest {

    static final int SIP_PORT = SipPorts.freeUdpAndTcpPort();
    static TestUserAgent udp;
    static TestUserAgent tcp;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
        registry.add("sip.port", () -> SIP_PORT);
    }

    @Autowired
    LocationStore store;

    @BeforeAll
    static void agents() {
        udp = TestUserAgent.udp().sendingTo(SIP_PORT).defaultUser("caller");
        tcp = TestUserAgent.tcp().sendingTo(SIP_PORT).defaultUser("caller");
    }

    @AfterAll
    static void closeAgents() {
        udp.close();
        tcp.close();
    }

    private static TestUserAgent agent(String transport) {
        return "udp".equals(transport) ? udp : tcp;
    }

    private AddressOfRecord subscriber(String user) {
        Subscriber s = Subscriber.withPassword(user, "redirect.test", "secret-password".toCharArray(), Instant.now());
        store.createSubscriber(s);
        return s.aor();
    }

    private static String uniqueUser(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Request invite(TestUserAgent ua, String requestUri) {
        return ua.request(Request.INVITE, requestUri).from("sip:caller@redirect.test").to(requestUri)
                .ownContact("caller", "").build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void anInviteForARegisteredUserIsRedirectedToEachOfItsContactsWithQAndExpires(String transport) {
        AddressOfRecord bob = subscriber(uniqueUser("bob"));
        store.register(RegisterUpdate.of(bob, "reg-1", 1, List.of(
                new ContactUpdate("sip:bob@192.0.2.10:5062;transport=tcp", 600, Optional.of(0.4), List.of(), Optional.empty(),
                        Optional.empty(), Optional.empty(), OptionalInt.empty()),
                new ContactUpdate("sip:bob@192.0.2.11:5060", 1800, Optional.of(0.9), List.of(), Optional.empty(),
                        Optional.empty(), Optional.empty(), OptionalInt.empty()))));

        Response response = agent(transport).send(invite(agent(transport), bob.uri()));

        assertThat(response.getStatusCode()).isEqualTo(302);
        List<ContactHeader> contacts = SipHeaders.all(response, ContactHeader.NAME, ContactHeader.class);
        assertThat(contacts).extracting(c -> c.getAddress().getURI().toString())
                .containsExactly("sip:bob@192.0.2.11:5060", "sip:bob@192.0.2.10:5062;transport=tcp");
        assertThat(contacts).extracting(ContactHeader::getQValue).containsExactly(0.9f, 0.4f);
        assertThat(contacts.get(0).getExpires()).isBetween(1790, 1800);
        assertThat(contacts.get(1).getExpires()).isBetween(590, 600);
        assertThat(SipHeaders.toTag(response)).isPresent();
    }

    @Test
    void aContactRegisteredThroughAnEdgeCarriesItsPathAsARouteHeaderOfTheUri() {
        AddressOfRecord carol = subscriber(uniqueUser("carol"));
        store.register(RegisterUpdate.of(carol, "reg-1", 1, List.of(new ContactUpdate("sip:carol@10.0.0.5:5060", 600,
                Optional.empty(), List.of("<sip:gw.redirect.test;lr>"), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty()))));

        Response response = udp.send(invite(udp, carol.uri()));

        assertThat(response.getStatusCode()).as(response.toString()).isEqualTo(302);
        SipURI uri = (SipURI) SipHeaders.first(response, ContactHeader.NAME, ContactHeader.class)
                .orElseThrow(() -> new AssertionError(response.toString())).getAddress().getURI();
        assertThat(java.net.URLDecoder.decode(uri.getHeader("Route"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("<sip:gw.redirect.test;lr>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MESSAGE", "OPTIONS", "SUBSCRIBE"})
    void otherOutOfDialogRequestsAreRedirectedLikeInvite(String method) {
        AddressOfRecord dave = subscriber(uniqueUser("dave"));
        store.register(RegisterUpdate.of(dave, "reg", 1, List.of(ContactUpdate.of("sip:dave@192.0.2.20", 600))));

        Response response = udp.request(method, dave.uri()).to(dave.uri()).ownContact("caller", "").send();

        assertThat(response.getStatusCode()).isEqualTo(302);
        assertThat(SipHeaders.values(response, ContactHeader.NAME)).singleElement().asString().contains("sip:dave@192.0.2.20");
    }

    @Test
    void anUnknownUserGets404() {
        assertThat(udp.send(invite(udp, "sip:" + uniqueUser("nobody") + "@redirect.test")).getStatusCode()).isEqualTo(404);
    }

    @Test
    void aSubscriberWithoutABindingGets480() {
        AddressOfRecord erin = subscriber(uniqueUser("erin"));
        assertThat(tcp.send(invite(tcp, erin.uri())).getStatusCode()).isEqualTo(480);
    }

    @Test
    void aDomainThisServerDoesNotServeGets404() {
        assertThat(udp.send(invite(udp, "sip:bob@elsewhere.example")).getStatusCode()).isEqualTo(404);
    }

    @Test
    void maxForwardsZeroGets483() {
        AddressOfRecord frank = subscriber(uniqueUser("frank"));
        store.register(RegisterUpdate.of(frank, "reg", 1, List.of(ContactUpdate.of("sip:frank@192.0.2.30", 600))));
        Request request = udp.request(Request.INVITE, frank.uri()).to(frank.uri()).maxForwards(0).ownContact("caller", "").build();

        assertThat(udp.send(request).getStatusCode()).isEqualTo(483);
    }

    @Test
    void anUnsupportedRequireGets420ListingTheExtension() {
        Request request = udp.request(Request.INVITE, "sip:bob@redirect.test").header("Require", "100rel").header("Require", "foo")
                .ownContact("caller", "").build();

        Response response = udp.send(request);

        assertThat(response.getStatusCode()).isEqualTo(420);
        assertThat(SipHeaders.optionTags(response, "Unsupported")).containsExactlyInAnyOrder("100rel", "foo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void optionsToTheServerItselfGets200WithAllow(String transport) {
        Response response = agent(transport).request(Request.OPTIONS, "sip:127.0.0.1:" + SIP_PORT).send();

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(SipHeaders.values(response, "Allow")).contains("INVITE", "OPTIONS", "ACK", "CANCEL");
    }

    @Test
    void aMidDialogRequestGets481() {
        Request bye = udp.request(Request.BYE, "sip:bob@redirect.test").header("To", "<sip:bob@redirect.test>;tag=abc").build();
        bye.removeHeader("To");
        try {
            bye.addHeader(udp.factories().headers().createHeader("To", "<sip:bob@redirect.test>;tag=abc"));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        assertThat(udp.send(bye).getStatusCode()).isEqualTo(481);
    }

    @Test
    void aRetransmittedInviteIsAnsweredAgainAndAnAckIsAbsorbed() {
        AddressOfRecord gina = subscriber(uniqueUser("gina"));
        store.register(RegisterUpdate.of(gina, "reg", 1, List.of(ContactUpdate.of("sip:gina@192.0.2.40", 600))));
        // an agent of its own: answers that match no transaction queue up per agent, and another test reads them too
        try (TestUserAgent ua = TestUserAgent.udp().sendingTo(SIP_PORT).defaultUser("caller")) {
            Request request = invite(ua, gina.uri());

            // retransmitted until answered, as a client does: the RI drops a copy that arrives while it is still
            // finishing the previous one with the same branch
            Response first = ua.sendStatelessUntilAnswered(request, Duration.ofSeconds(10));
            Response second = ua.sendStatelessUntilAnswered(request, Duration.ofSeconds(10));

            assertThat(first.getStatusCode()).isEqualTo(302);
            assertThat(second.getStatusCode()).isEqualTo(302);
            assertThat(SipHeaders.toTag(second)).isEqualTo(SipHeaders.toTag(first));

            Request ack = ua.request(Request.ACK, gina.uri()).callId(SipHeaders.callId(request)).cseq(SipHeaders.cseq(request)).build();
            ua.sendStateless(ack);
            // the server still answers, and the ACK produced no response of its own (what may still come is the
            // answer to an extra copy of the INVITE)
            assertThat(ua.request(Request.OPTIONS, "sip:127.0.0.1:" + SIP_PORT).send().getStatusCode()).isEqualTo(200);
            assertThat(ua.statelessResponsesWithin(Duration.ofMillis(300))).allSatisfy(r ->
                    assertThat(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod()).isEqualTo(Request.INVITE));
        }
    }

    @Test
    void aCancelGets481BecauseTheInviteWasAnsweredAtOnce() {
        try (TestUserAgent ua = TestUserAgent.udp().sendingTo(SIP_PORT).defaultUser("caller")) {
            Request cancel = ua.request(Request.CANCEL, "sip:bob@redirect.test").build();
            assertThat(ua.sendStatelessUntilAnswered(cancel, Duration.ofSeconds(10)).getStatusCode()).isEqualTo(481);
        }
    }

    @Test
    void aNonSipRequestUriGets416() {
        Request request = udp.request(Request.INVITE, "tel:+15551234567").to("sip:x@redirect.test").ownContact("caller", "").build();
        assertThat(udp.send(request).getStatusCode()).isEqualTo(416);
    }

    static RetryAfterHeader retryAfter(Response response) {
        return SipHeaders.first(response, RetryAfterHeader.NAME, RetryAfterHeader.class).orElseThrow();
    }
}
