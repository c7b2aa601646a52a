package io.siplane.sip.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import javax.sip.header.AllowHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.siplane.sip.SipEndpoint;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.message.SipHeaders;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/** The pipeline on a real stack, driven by a real user agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipRequestDispatcherTest {

    final int PORT = SipPorts.freeUdpAndTcpPort();
    private Runnable endpointStop;
    private TestUserAgent ua;

    /** Starts an endpoint of the engine under test with {@code dispatcher}; returns how to stop it. */
    Runnable startEndpoint(SipRequestDispatcher dispatcher) {
        SipEndpoint endpoint = new SipEndpoint(SipProperties.of("127.0.0.1", PORT), dispatcher);
        endpoint.start();
        return endpoint::stop;
    }

    @BeforeAll
    void start() {
        SipRequestHandler failing = handler(Set.of(Request.MESSAGE), r -> {
            throw new IllegalStateException("internal detail that must not leak");
        });
        SipRequestHandler stateless = handler(Set.of(Request.OPTIONS), r -> r.respond(Response.OK));
        SipRequestHandler stateful = handler(Set.of(Request.INFO), r -> {
            r.serverTransaction();
            r.respond(r.response(Response.ACCEPTED));
        });
        SipRequestHandler failsAfterAnswering = handler(Set.of(Request.NOTIFY), r -> {
            r.respond(Response.OK);
            throw new IllegalStateException("after the answer");
        });
        SipRequestDispatcher dispatcher = new SipRequestDispatcher(List.of(failing, stateless, stateful, failsAfterAnswering),
                java.util.Optional.empty(), SipFactories.get(), "Siplane");
        endpointStop = startEndpoint(dispatcher);
        ua = TestUserAgent.udp().sendingTo(PORT);
    }

    @AfterAll
    void stop() {
        ua.close();
        endpointStop.run();
    }

    TestUserAgent ua() {
        return ua;
    }

    @Test
    void handlerThatThrowsIsAnswered500WithoutDetailsAndTheStackKeepsServing() {
        for (int i = 0; i < 3; i++) {
            Response response = ua.request(Request.MESSAGE, "sip:bob@127.0.0.1").body("text/plain", "hi").send();

            assertThat(response.getStatusCode()).isEqualTo(500);
            assertThat(response.toString()).doesNotContain("internal detail").doesNotContain("Exception");
            assertThat(response.getRawContent()).isNull();
        }
        assertThat(ua.request(Request.OPTIONS, "sip:127.0.0.1").send().getStatusCode()).isEqualTo(200);
    }

    @Test
    void handlerThatThrowsAfterItsFinalAnswerIsNotAnsweredTwice() {
        Request notify = ua.request(Request.NOTIFY, "sip:bob@127.0.0.1").header("Event", "dialog").build();
        assertThat(ua.sendStatelessUntilAnswered(notify, Duration.ofSeconds(20)).getStatusCode()).isEqualTo(200);
        assertThat(ua.request(Request.OPTIONS, "sip:127.0.0.1").send().getStatusCode()).isEqualTo(200);
    }

    @Test
    void methodWithoutHandlerIsAnswered405WithAllowListingHandledMethods() {
        Response response = ua.request(Request.PUBLISH, "sip:bob@127.0.0.1").header("Event", "presence").send();

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(SipHeaders.values(response, AllowHeader.NAME)).contains("INFO", "MESSAGE", "NOTIFY", "OPTIONS");
    }

    @Test
    void handlerMayAnswerThroughAServerTransaction() {
        assertThat(ua.request(Request.INFO, "sip:bob@127.0.0.1").send().getStatusCode()).isEqualTo(202);
    }

    @Test
    void statelessRetransmissionGetsTheSameToTag() {
        Request options = ua.request(Request.OPTIONS, "sip:127.0.0.1").build();
        Response first = ua.sendStatelessUntilAnswered(options, Duration.ofSeconds(20));
        Response second = ua.sendStatelessUntilAnswered(options, Duration.ofSeconds(20));

        assertThat(((ToHeader) second.getHeader(ToHeader.NAME)).getTag())
                .isEqualTo(((ToHeader) first.getHeader(ToHeader.NAME)).getTag());
    }

    @Test
    void twoHandlersForOneMethodAreRefused() {
        SipRequestHandler a = handler(Set.of("REGISTER"), r -> { });
        SipRequestHandler b = handler(Set.of("register"), r -> { });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SipRequestDispatcher(List.of(a, b),
                java.util.Optional.empty(), SipFactories.get(), ""))
                .hasMessageContaining("two SIP handlers for REGISTER");
    }

    interface Body {
        void handle(IncomingRequest request) throws Exception;
    }

    static SipRequestHandler handler(Set<String> methods, Body body) {
        return new SipRequestHandler() {
            @Override
            public Set<String> methods() {
                return methods;
            }

            @Override
            public void handle(IncomingRequest request) throws Exception {
                body.handle(request);
            }
        };
    }
}
