package io.siplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.awaitility.Awaitility;

import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.Dialog;
import io.siplane.testsupport.sip.ReceivedRequest;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;

/** What the proxy tests do with their user agents: register through the registrar, call through a proxy, receive. */
final class Agents {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    /** An INVITE in progress: the request as sent (after the 407) and its final response to come. */
    record Outgoing(Request request, CompletableFuture<Response> answer) {

        Response awaitAnswer() {
            try {
                return answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("no final response to " + request.getMethod(), e);
            }
        }
    }

    /** A call set up through a proxy: what each side saw, and each side's dialog. */
    record Call(Outgoing outgoing, ReceivedRequest inviteAtCallee, Response okAtCaller, ReceivedRequest ackAtCallee,
            Dialog callerSide, Dialog calleeSide) {
    }

    private static final Map<TestUserAgent, Deque<ReceivedRequest>> STASH = new ConcurrentHashMap<>();
    private static final Map<TestUserAgent, Set<String>> SEEN = new ConcurrentHashMap<>();

    private Agents() {
    }

    /** Registers {@code ua}'s own contact (with {@code params}, e.g. {@code ;q=0.5}) for {@code user} through the registrar. */
    static void register(TestUserAgent ua, String user, String params) {
        ProxyPlatform platform = ProxyPlatform.get();
        Request register = ua.register(user, ProxyPlatform.DOMAIN).withoutContacts().ownContact(user, params).build();
        Response challenge = ua.sendAsync(register, platform.registrarTarget()).join();
        Response ok = ua.sendAsync(ua.authorize(register, challenge, credentials(user)), platform.registrarTarget()).join();
        assertThat(ok.getStatusCode()).as("REGISTER of %s", user).isEqualTo(200);
    }

    static void register(TestUserAgent ua, String user) {
        register(ua, user, "");
    }

    static Credentials credentials(String user) {
        return Credentials.md5(user, ProxyPlatform.password(user));
    }

    /** {@code from} calls {@code to} through {@code proxy}, answering the proxy's 407 once. */
    static Outgoing invite(TestUserAgent caller, String from, String to, SipTarget proxy) {
        Request first = caller.request(Request.INVITE, ProxyPlatform.aor(to)).from(ProxyPlatform.aor(from))
                .to(ProxyPlatform.aor(to)).ownContact(from, "").body("application/sdp", SDP).build();
        return authenticated(caller, first, from, proxy);
    }

    /** Sends {@code request}, and once more with credentials if the proxy challenges it (as a phone does). */
    static Outgoing authenticated(TestUserAgent caller, Request request, String user, SipTarget proxy) {
        Response first = caller.sendAsync(request, proxy).join();
        assertThat(first.getStatusCode()).as("the proxy challenges %s", request.getMethod()).isEqualTo(407);
        Request authorized = caller.authorize(request, first, credentials(user));
        return new Outgoing(authorized, caller.sendAsync(authorized, proxy));
    }

    /** {@code from} calls {@code to} through {@code proxy}; the callee rings, answers, and gets the caller's ACK. */
    static Call establish(TestUserAgent caller, String from, TestUserAgent callee, String to, SipTarget proxy) {
        Outgoing call = invite(caller, from, to, proxy);
        ReceivedRequest invite = next(callee, Request.INVITE);
        invite.respond(180);
        awaitResponse(caller, call.request(), 180);
        Response ok = invite.response(200);
        invite.respond(ok);
        Response okAtCaller = call.awaitAnswer();
        assertThat(okAtCaller.getStatusCode()).isEqualTo(200);
        caller.ack(call.request(), okAtCaller);
        ReceivedRequest ack = next(callee, Request.ACK);
        return new Call(call, invite, okAtCaller, ack, Dialog.asCaller(caller, call.request(), okAtCaller),
                Dialog.asCallee(callee, invite.request(), ok));
    }

    /** {@code from} hangs up: BYE along its route set, answered 200 by {@code to}; the BYE as {@code to} got it. */
    static ReceivedRequest hangUp(Dialog from, TestUserAgent to) {
        CompletableFuture<Response> answer = from.sendAsync(Request.BYE);
        ReceivedRequest bye = next(to, Request.BYE);
        bye.respond(200);
        try {
            assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).getStatusCode()).as("answer to the BYE").isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError("no answer to the BYE", e);
        }
        return bye;
    }

    /**
     * The next request of {@code method} that {@code ua} received. Retransmissions (the same method and branch again,
     * e.g. an INVITE retransmitted before the test answered it) are skipped; other requests are kept for later calls.
     */
    static ReceivedRequest next(TestUserAgent ua, String method) {
        Deque<ReceivedRequest> stash = STASH.computeIfAbsent(ua, k -> new ArrayDeque<>());
        Set<String> seen = SEEN.computeIfAbsent(ua, k -> new HashSet<>());
        synchronized (stash) {
            for (ReceivedRequest r : stash) {
                if (r.method().equals(method)) {
                    stash.remove(r);
                    return r;
                }
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                ReceivedRequest r = ua.awaitRequest(left);
                if (!seen.add(r.method() + " " + topBranch(r.request()))) {
                    continue;
                }
                if (r.method().equals(method)) {
                    return r;
                }
                stash.add(r);
            }
        }
    }

    /** Waits until {@code caller} has seen a response with {@code status} to {@code sent}. */
    static void awaitResponse(TestUserAgent caller, Request sent, int status) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> caller.responsesTo(sent).stream().anyMatch(r -> r.getStatusCode() == status));
    }

    static int viaCount(Request request) {
        int n = 0;
        var it = request.getHeaders(ViaHeader.NAME);
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }

    static String topBranch(Request request) {
        return ((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch();
    }

    /** Forgets what {@link #next} kept for an agent that is closed. */
    static void forget(TestUserAgent ua) {
        STASH.remove(ua);
        SEEN.remove(ua);
    }
}
