package io.siplane.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.registrar.RegistrarApplication;
import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/** Bob registers two devices through the real registrar; a caller asking the redirect server gets both. */
class RedirectAfterRegistrationTest {

    static final String DOMAIN = "redirect-e2e.test";
    static final String SECRET = "redirect-test-nonce-secret-0123456789";
    static RunningService registrar;
    static RunningService redirect;
    static int registrarPort;
    static int redirectPort;

    @BeforeAll
    static void start() {
        registrarPort = SipPorts.freeUdpAndTcpPort();
        redirectPort = SipPorts.freeUdpAndTcpPort();
        registrar = RunningService.start(RegistrarApplication.class, Map.of(
                "server.port", "0", "sip.port", String.valueOf(registrarPort), "spring.data.redis.url", RedisFixture.url(),
                "sip.digest.nonce-secret", SECRET, "registrar.domains", DOMAIN));
        redirect = RunningService.start(RedirectApplication.class, Map.of(
                "server.port", "0", "sip.port", String.valueOf(redirectPort), "spring.data.redis.url", RedisFixture.url(),
                "redirect.domains", DOMAIN));
    }

    @AfterAll
    static void stop() {
        redirect.close();
        registrar.close();
    }

    @Test
    void theRedirectContactsAreExactlyTheBindingsBobRegisteredFromTwoDevices() {
        LocationStore store = registrar.bean(LocationStore.class);
        store.createSubscriber(Subscriber.withPassword("bob", DOMAIN, "bob-password-1".toCharArray(), Instant.now()));
        try (TestUserAgent deskPhone = TestUserAgent.udp().sendingTo(registrarPort);
             TestUserAgent softphone = TestUserAgent.tcp().sendingTo(registrarPort);
             TestUserAgent caller = TestUserAgent.udp().sendingTo(redirectPort)) {
            Credentials bob = Credentials.md5("bob", "bob-password-1");
            assertThat(deskPhone.register("bob", DOMAIN).withoutContacts().ownContact("bob", ";q=0.7").send(bob)
                    .getStatusCode()).isEqualTo(200);
            assertThat(softphone.register("bob", DOMAIN).withoutContacts().ownContact("bob", ";q=1.0").send(bob)
                    .getStatusCode()).isEqualTo(200);

            Response response = caller.request(Request.INVITE, "sip:bob@" + DOMAIN).to("sip:bob@" + DOMAIN)
                    .ownContact("caller", "").send();

            assertThat(response.getStatusCode()).isEqualTo(302);
            List<Binding> bindings = store.lookup(AddressOfRecord.of("bob", DOMAIN));
            assertThat(bindings).hasSize(2);
            List<ContactHeader> contacts = SipHeaders.all(response, ContactHeader.NAME, ContactHeader.class);
            assertThat(contacts).extracting(c -> c.getAddress().getURI().toString())
                    .containsExactlyElementsOf(bindings.stream().map(Binding::contactUri).toList())
                    .containsExactly(softphone.contactUri("bob"), deskPhone.contactUri("bob"));
            assertThat(contacts).extracting(ContactHeader::getQValue).containsExactly(1.0f, 0.7f);
        }
    }
}
