package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * Issue 13 item 1: wrong passwords sent through the gateway from one address lock out that address's attempts only.
 * The registrar and the proxy trust the gateway ({@code sip.trusted-edges}) and count failures per user and per real
 * client address; before, the proxy counted the gateway's address and one attacker locked every local user out.
 * Each test uses its own loopback addresses and subscribers.
 */
class LockoutThroughGatewayTest {

    static final String DOMAIN = "lockout.example";
    static final int MAX_FAILURES = 3;
    static GatewayPlatform platform;

    @BeforeAll
    static void start() {
        platform = GatewayPlatform.start(DOMAIN, "lockout-gateway-nonce-secret-0123456789", Map.of(
                "sip.trusted-edges", "127.0.0.1", "sip.digest.max-failures", String.valueOf(MAX_FAILURES)));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static String subscriber(String base) {
        return platform.subscriber(base);
    }

    static String aor(String user) {
        return "sip:" + user + "@" + DOMAIN;
    }

    static Credentials right(String user) {
        return Credentials.md5(user, "pw-" + user);
    }

    static Credentials wrong(String user) {
        return Credentials.md5(user, "not-the-password");
    }

    /** An agent on its own loopback address that knows only the gateway. */
    static TestUserAgent agentOn(String address, String user) {
        // onAddress picks a port free for TCP at that instant; another build on the machine may take it for UDP first
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return platform.keep(TestUserAgent.onAddress("udp", address).sendingTo(platform.gateway.sipPort()).defaultUser(user));
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** A registered callee that accepts MESSAGE and refuses INVITE with 486 (no dialog to tear down). */
    static String callee() {
        String user = subscriber("callee");
        TestUserAgent ua = platform.keep(TestUserAgent.udp().sendingTo(platform.gateway.sipPort()).defaultUser(user));
        assertThat(ua.register(user, DOMAIN).send(right(user)).getStatusCode()).isEqualTo(200);
        ua.answerRequestsWith(r -> Request.INVITE.equals(r.getMethod()) ? Response.BUSY_HERE : Response.OK);
        return user;
    }

    static Response send(TestUserAgent ua, String method, String from, String to, Credentials credentials) {
        var builder = ua.request(method, aor(to)).from(aor(from)).to(aor(to));
        if (Request.MESSAGE.equals(method)) {
            builder.body("text/plain", "hello");
        } else {
            builder.ownContact(from, "");
        }
        return ua.sendAuthenticated(builder.build(), credentials);
    }

    /** Answers to wrong passwords until a 403, at most a few more than the threshold. */
    static List<Integer> guessUntilRefused(java.util.function.Supplier<Response> attempt) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < MAX_FAILURES + 3 && !statuses.contains(Response.FORBIDDEN); i++) {
            statuses.add(attempt.get().getStatusCode());
        }
        return statuses;
    }

    @Test
    void anAttackerGuessingAlicesPasswordAtTheProxyIsLockedOutWhileBobAndAliceElsewhereAreNot() {
        String alice = subscriber("alice");
        String bob = subscriber("bob");
        String callee = callee();
        TestUserAgent attacker = agentOn("127.0.0.31", alice);
        TestUserAgent honest = agentOn("127.0.0.32", bob);

        List<Integer> guesses = guessUntilRefused(() -> send(attacker, Request.MESSAGE, alice, callee, wrong(alice)));

        assertThat(guesses).as("wrong passwords for alice from 127.0.0.31").endsWith(Response.FORBIDDEN)
                .containsOnly(Response.PROXY_AUTHENTICATION_REQUIRED, Response.FORBIDDEN).hasSize(MAX_FAILURES + 1);
        assertThat(send(attacker, Request.INVITE, alice, callee, right(alice)).getStatusCode())
                .as("the attacker's address stays locked for alice, even with her password").isEqualTo(Response.FORBIDDEN);
        assertThat(send(honest, Request.MESSAGE, bob, callee, right(bob)).getStatusCode()).as("bob's MESSAGE").isEqualTo(Response.OK);
        assertThat(send(honest, Request.INVITE, bob, callee, right(bob)).getStatusCode()).as("bob's INVITE")
                .isEqualTo(Response.BUSY_HERE);
        assertThat(send(honest, Request.MESSAGE, alice, callee, right(alice)).getStatusCode())
                .as("alice from her own address").isEqualTo(Response.OK);
    }

    @Test
    void anAttackerGuessingAlicesPasswordAtTheRegistrarIsLockedOutWhileBobAndAliceElsewhereRegister() {
        String alice = subscriber("alice");
        String bob = subscriber("bob");
        TestUserAgent attacker = agentOn("127.0.0.33", alice);
        TestUserAgent honest = agentOn("127.0.0.34", bob);

        List<Integer> guesses = guessUntilRefused(() -> attacker.register(alice, DOMAIN).send(wrong(alice)));

        assertThat(guesses).as("wrong passwords for alice from 127.0.0.33").endsWith(Response.FORBIDDEN)
                .containsOnly(Response.UNAUTHORIZED, Response.FORBIDDEN).hasSize(MAX_FAILURES + 1);
        assertThat(attacker.register(alice, DOMAIN).send(right(alice)).getStatusCode())
                .as("the attacker's address stays locked for alice, even with her password").isEqualTo(Response.FORBIDDEN);
        assertThat(honest.register(bob, DOMAIN).send(right(bob)).getStatusCode()).as("bob").isEqualTo(Response.OK);
        assertThat(honest.register(alice, DOMAIN).send(right(alice)).getStatusCode()).as("alice from her own address")
                .isEqualTo(Response.OK);
    }
}
