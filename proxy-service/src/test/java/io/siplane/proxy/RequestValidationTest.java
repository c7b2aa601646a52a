package io.siplane.proxy;

import static io.siplane.proxy.Agents.next;
import static io.siplane.proxy.Agents.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import javax.sip.header.CSeqHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.UnsupportedHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.TestUserAgent;

/** Request validation (RFC 3261 §16.3) and the Max-Forwards the proxy passes on. */
class RequestValidationTest {

    private final ProxyPlatform platform = ProxyPlatform.get();

    /** An INVITE from a caller of another domain (not challenged), to {@code user} of ours. */
    private static Request inviteFromOutside(TestUserAgent caller, String user) {
        return caller.request(Request.INVITE, ProxyPlatform.aor(user)).from("sip:carol@elsewhere.example")
                .to(ProxyPlatform.aor(user)).ownContact("carol", "").build();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void inviteWithMaxForwardsZeroGets483(String transport) {
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.start(transport)) {
            Request invite = caller.request(Request.INVITE, ProxyPlatform.aor(bob)).from("sip:carol@elsewhere.example")
                    .to(ProxyPlatform.aor(bob)).ownContact("carol", "").maxForwards(0).build();

            assertThat(caller.sendAsync(invite, platform.replicaA.target()).join().getStatusCode()).isEqualTo(483);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    void contactPointingBackAtTheProxyMakesALoopThatEndsIn482(String transport) {
        String looper = platform.newSubscriber("looper");
        RunningProxy proxy = platform.replicaA;
        try (TestUserAgent phone = TestUserAgent.start(transport); TestUserAgent caller = TestUserAgent.start(transport)) {
            // a misconfigured device registers the proxy itself as its contact
            Request register = phone.register(looper, ProxyPlatform.DOMAIN).withoutContacts()
                    .contact("<sip:" + looper + "@127.0.0.1:" + proxy.sipPort() + ";transport=" + transport + ">").build();
            Response challenge = phone.sendAsync(register, platform.registrarTarget()).join();
            assertThat(phone.sendAsync(phone.authorize(register, challenge, Agents.credentials(looper)), platform.registrarTarget())
                    .join().getStatusCode()).isEqualTo(200);

            Response response = caller.sendAsync(inviteFromOutside(caller, looper), proxy.target()).join();

            // first pass sip:looper@domain, then a spiral to the contact, then the same request again: a loop
            assertThat(response.getStatusCode()).isEqualTo(482);
        }
    }

    @Test
    void maxForwardsRunningOutInASpiralGets483() {
        String looper = platform.newSubscriber("looper");
        RunningProxy proxy = platform.replicaB;
        try (TestUserAgent phone = TestUserAgent.udp(); TestUserAgent caller = TestUserAgent.udp()) {
            Request register = phone.register(looper, ProxyPlatform.DOMAIN).withoutContacts()
                    .contact("<sip:" + looper + "@127.0.0.1:" + proxy.sipPort() + ">").build();
            Response challenge = phone.sendAsync(register, platform.registrarTarget()).join();
            phone.sendAsync(phone.authorize(register, challenge, Agents.credentials(looper)), platform.registrarTarget()).join();
            Request invite = inviteFromOutside(caller, looper);
            ((MaxForwardsHeader) invite.getHeader(MaxForwardsHeader.NAME)).setMaxForwards(1);

            assertThat(caller.sendAsync(invite, proxy.target()).join().getStatusCode()).isEqualTo(483);
        } catch (javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unsupportedProxyRequireGets420ListingTheExtension() {
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp()) {
            Request invite = inviteFromOutside(caller, bob);
            invite.addHeader(header(caller, "Proxy-Require", "x-teleport"));

            Response response = caller.sendAsync(invite, platform.replicaA.target()).join();

            assertThat(response.getStatusCode()).isEqualTo(420);
            assertThat(SipHeaders.values(response, UnsupportedHeader.NAME)).containsExactly("x-teleport");
        }
    }

    @Test
    void telUriGets416() {
        try (TestUserAgent caller = TestUserAgent.udp()) {
            Request invite = caller.request(Request.INVITE, "tel:+15551234567").from("sip:carol@elsewhere.example")
                    .to("sip:someone@elsewhere.example").ownContact("carol", "").build();

            assertThat(caller.sendAsync(invite, platform.replicaA.target()).join().getStatusCode()).isEqualTo(416);
        }
    }

    @Test
    void cseqMethodThatDoesNotMatchTheRequestGets400() throws Exception {
        try (TestUserAgent caller = TestUserAgent.udp()) {
            Request message = caller.request(Request.MESSAGE, "sip:bob@" + ProxyPlatform.DOMAIN).from("sip:carol@elsewhere.example")
                    .build();
            message.setHeader(caller.factories().headers().createCSeqHeader(1L, Request.INFO));

            caller.sendStateless(message, platform.replicaA.target());

            assertThat(caller.awaitStatelessResponse(Agents.WAIT).getStatusCode()).isEqualTo(400);
        }
    }

    @Test
    void forwardedRequestHasMaxForwardsDecrementedOr70WhenItHadNone() {
        String bob = platform.newSubscriber("bob");
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent callee = TestUserAgent.udp().defaultUser(bob)) {
            register(callee, bob);
            Request counted = caller.request(Request.MESSAGE, ProxyPlatform.aor(bob)).from("sip:carol@elsewhere.example")
                    .to(ProxyPlatform.aor(bob)).maxForwards(10).build();
            Request uncounted = caller.request(Request.MESSAGE, ProxyPlatform.aor(bob)).from("sip:carol@elsewhere.example")
                    .to(ProxyPlatform.aor(bob)).build();
            uncounted.removeHeader(MaxForwardsHeader.NAME);

            var first = caller.sendAsync(counted, platform.replicaA.target());
            ReceivedRequest atCallee = next(callee, Request.MESSAGE);
            atCallee.respond(200);
            caller.sendStateless(uncounted, platform.replicaA.target());
            ReceivedRequest secondAtCallee = next(callee, Request.MESSAGE);
            secondAtCallee.respond(200);

            assertThat(first.join().getStatusCode()).isEqualTo(200);
            assertThat(((MaxForwardsHeader) atCallee.request().getHeader(MaxForwardsHeader.NAME)).getMaxForwards()).isEqualTo(9);
            assertThat(((MaxForwardsHeader) secondAtCallee.request().getHeader(MaxForwardsHeader.NAME)).getMaxForwards()).isEqualTo(70);
        }
    }

    @Test
    void inDialogRequestThatDidNotComeAlongOurRouteIsNotRelayed() {
        try (TestUserAgent caller = TestUserAgent.udp(); TestUserAgent target = TestUserAgent.udp()) {
            Request bye = caller.request(Request.BYE, target.contactUri("bob")).from("sip:carol@elsewhere.example")
                    .to("<sip:bob@elsewhere.example>;tag=abc123").build();

            assertThat(caller.sendAsync(bye, platform.replicaA.target()).join().getStatusCode()).isEqualTo(403);
        }
    }

    @Test
    void cancelForAnInviteThisReplicaDoesNotKnowGets481() {
        try (TestUserAgent caller = TestUserAgent.udp()) {
            Request cancel = caller.request(Request.CANCEL, "sip:bob@" + ProxyPlatform.DOMAIN).from("sip:carol@elsewhere.example")
                    .build();

            caller.sendStateless(cancel, platform.replicaA.target());

            assertThat(caller.awaitStatelessResponse(Agents.WAIT).getStatusCode()).isEqualTo(481);
        }
    }

    @Test
    void garbageIsAnswered400OrDroppedAndTheProxyKeepsServing() throws Exception {
        RunningProxy proxy = platform.replicaA;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             TestUserAgent ua = TestUserAgent.udp()) {
            socket.setSoTimeout(1500);
            String broken = "INVITE sip:bob@" + ProxyPlatform.DOMAIN + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK-garbage\r\n"
                    + "From: <sip:x@elsewhere.example>;tag=1\r\nTo: <sip:bob@" + ProxyPlatform.DOMAIN + ">\r\n"
                    + "Call-ID: garbage@127.0.0.1\r\nCSeq: not-a-number INVITE\r\nMax-Forwards: lots\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = broken.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), proxy.sipPort()));
            byte[] buffer = new byte[4096];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            String reply;
            try {
                socket.receive(answer);
                reply = new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException dropped) {
                reply = "";
            }

            assertThat(reply).satisfiesAnyOf(r -> assertThat(r).isEmpty(), r -> assertThat(r).startsWith("SIP/2.0 400"));
            assertThat(reply).doesNotContain("Exception").doesNotContain("at io.");
            Response options = ua.sendAsync(ua.request(Request.OPTIONS, "sip:127.0.0.1:" + proxy.sipPort()).build(), proxy.target()).join();
            assertThat(options.getStatusCode()).isEqualTo(200);
        }
    }

    private static javax.sip.header.Header header(TestUserAgent ua, String name, String value) {
        try {
            return ua.factories().headers().createHeader(name, value);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static int cseq(Request request) {
        return (int) ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }
}
