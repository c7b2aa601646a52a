package io.siplane.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.proxy.loop.BranchIdMinter;
import io.siplane.proxy.loop.LoopDetector;
import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.chain.StockSteps;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.pipeline.IncomingRequest;

/** The proxy's own validation steps, each alone, without a network: what they answer and what they leave on. */
class ValidationStepsTest {

    private static final String OWN_HOST = "192.0.2.10";
    private static final int OWN_PORT = 5080;

    private final List<Response> sent = new ArrayList<>();
    private final ProxyAnswers answers = new ProxyAnswers(new ProxyMetrics(new SimpleMeterRegistry()), "", 5);
    private final ValidationSteps steps = new ValidationSteps(new LoopDetector(OWN_HOST, OWN_PORT), answers);

    @Test
    void aCSeqNamingAnotherMethodIsAnswered400() throws Exception {
        IncomingRequest in = incoming("INVITE", "MESSAGE", "z9hG4bKcaller1");

        assertThat(steps.cseqMatchesMethod(in)).isEqualTo(Verdict.DONE);
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(r.getStatusCode()).isEqualTo(400);
            assertThat(r.getReasonPhrase()).isEqualTo("CSeq Method Mismatch");
        });
    }

    @Test
    void aRequestThatPassedUsUnchangedIsALoop() throws Exception {
        IncomingRequest first = incoming("INVITE", "INVITE", "z9hG4bKcaller1");
        assertThat(steps.detectLoop(first)).isEqualTo(Verdict.NEXT);
        String loopHash = ProxyExchange.of(first).loopHash();
        assertThat(loopHash).isNotEmpty();

        String ours = new BranchIdMinter().stateful(loopHash);
        IncomingRequest back = incoming("INVITE", "INVITE", "z9hG4bKcaller1", "SIP/2.0/UDP " + OWN_HOST + ":" + OWN_PORT
                + ";branch=" + ours);

        assertThat(steps.detectLoop(back)).isEqualTo(Verdict.DONE);
        assertThat(sent).singleElement().extracting(Response::getStatusCode).isEqualTo(482);
    }

    @Test
    void aSpiralUnderAnotherRequestUriIsNoLoop() throws Exception {
        String otherHash = BranchIdMinter.loopHash(List.of("sip:bob@198.51.100.7", "other"));
        IncomingRequest spiral = incoming("INVITE", "INVITE", "z9hG4bKcaller1", "SIP/2.0/UDP " + OWN_HOST + ":" + OWN_PORT
                + ";branch=" + new BranchIdMinter().stateful(otherHash));

        assertThat(steps.detectLoop(spiral)).isEqualTo(Verdict.NEXT);
        assertThat(ProxyExchange.of(spiral).loopHash()).isNotEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void aRejectedAckIsDroppedNotAnswered() throws Exception {
        assertThat(steps.cseqMatchesMethod(incoming("ACK", "INVITE", "z9hG4bKcaller1"))).isEqualTo(Verdict.DONE);
        assertThat(answers.counted(StockSteps.sipUriOnly()).apply(incomingTo("tel:+15550100", "ACK")))
                .isEqualTo(Verdict.DONE);
        assertThat(sent).isEmpty();

        assertThat(answers.counted(StockSteps.sipUriOnly()).apply(incomingTo("tel:+15550100", "INVITE")))
                .isEqualTo(Verdict.DONE);
        assertThat(sent).singleElement().extracting(Response::getStatusCode).isEqualTo(416);
    }

    private IncomingRequest incoming(String method, String cseqMethod, String branch, String... moreVias) throws Exception {
        return request(method, cseqMethod, branch, "sip:bob@siplane.test", moreVias);
    }

    private IncomingRequest incomingTo(String requestUri, String method) throws Exception {
        return request(method, method, "z9hG4bKcaller3", requestUri);
    }

    private IncomingRequest request(String method, String cseqMethod, String branch, String requestUri, String... moreVias)
            throws Exception {
        StringBuilder text = new StringBuilder(method + " " + requestUri + " SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 198.51.100.1:5060;branch=").append(branch).append("\r\n");
        for (String via : moreVias) {
            text.append("Via: ").append(via).append("\r\n");
        }
        text.append("Max-Forwards: 70\r\n")
                .append("From: <sip:alice@siplane.test>;tag=a1\r\n")
                .append("To: <sip:bob@siplane.test>\r\n")
                .append("Call-ID: validation-steps-1\r\n")
                .append("CSeq: 1 ").append(cseqMethod).append("\r\n")
                .append("Content-Length: 0\r\n\r\n");
        Request request = SipFactories.get().messages().createRequest(text.toString());
        return new IncomingRequest(request, new SourceAddress(Transport.UDP, "198.51.100.1", 5060), sent::add,
                SipFactories.get(), "");
    }
}
