package io.siplane.sip.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.sip.message.Request;

import org.junit.jupiter.api.Test;

import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SourceAddress;
import io.siplane.sip.shutdown.SipDrain.Admission;

class SipDrainTest {

    private static final SourceAddress GATEWAY = new SourceAddress(Transport.UDP, "10.0.0.1", 5060);
    private static final SourceAddress PHONE = new SourceAddress(Transport.UDP, "10.0.0.9", 5062);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SipDrain drain = new SipDrain(new SipShutdownProperties(Duration.ofSeconds(20), Duration.ofSeconds(5),
            Duration.ofSeconds(7)), now::get);

    @Test
    void everythingIsServedUntilDrainingBegins() {
        assertThat(drain.admit(probe(), GATEWAY)).isEqualTo(Admission.SERVE);
        assertThat(drain.admit(invite("a"), PHONE)).isEqualTo(Admission.SERVE);
        assertThat(drain.draining()).isFalse();
        assertThat(drain.announcing()).isFalse();
    }

    @Test
    void withoutRecentProbersNewRequestsAreRefusedAtOnceAndProbesAnswered503() {
        drain.begin();

        assertThat(drain.announcing()).isFalse();
        assertThat(drain.admit(probe(), GATEWAY)).isEqualTo(Admission.REFUSE_PROBE);
        assertThat(drain.admit(invite("new"), PHONE)).isEqualTo(Admission.REFUSE_NEW);
        assertThat(drain.admit(request("MESSAGE sip:bob@example.com", "m1", null), PHONE)).isEqualTo(Admission.REFUSE_NEW);
        assertThat(drain.retryAfterSeconds()).isEqualTo(7);
    }

    @Test
    void inDialogRequestsAckAndCancelAreStillProcessed() {
        drain.begin();

        assertThat(drain.admit(request("BYE sip:bob@10.0.0.9", "d1", "tag-b"), PHONE)).isEqualTo(Admission.SERVE);
        assertThat(drain.admit(request("ACK sip:bob@example.com", "c1", null), PHONE)).isEqualTo(Admission.SERVE);
        assertThat(drain.admit(request("CANCEL sip:bob@example.com", "c1", null), PHONE)).isEqualTo(Admission.SERVE);
        assertThat(drain.admit(request("OPTIONS sip:10.0.0.2:5080", "in-dialog", "tag-x"), GATEWAY))
                .as("an OPTIONS inside a dialog is no probe").isEqualTo(Admission.SERVE);
    }

    @Test
    void aCallAlreadyUnderWayMayRetryWithCredentials() {
        assertThat(drain.admit(invite("call-1"), PHONE)).isEqualTo(Admission.SERVE); // challenged with 407 before
        drain.begin();

        assertThat(drain.admit(invite("call-1"), PHONE)).as("the INVITE with credentials").isEqualTo(Admission.SERVE);
        assertThat(drain.admit(invite("call-2"), PHONE)).isEqualTo(Admission.REFUSE_NEW);
    }

    @Test
    void newRequestsAreServedUntilTheRecentProberWasTold503ThenHalfASecondMore() {
        drain.admit(probe(), GATEWAY);
        advance(Duration.ofSeconds(1));
        drain.begin();

        assertThat(drain.announcing()).isTrue();
        assertThat(drain.probersNotTold()).containsExactly(GATEWAY.toString());
        assertThat(drain.admit(invite("during-announcement"), PHONE)).isEqualTo(Admission.SERVE);

        advance(Duration.ofMillis(1500));
        assertThat(drain.admit(probe(), GATEWAY)).isEqualTo(Admission.REFUSE_PROBE);
        assertThat(drain.probersNotTold()).isEmpty();
        assertThat(drain.admit(invite("just-after"), PHONE)).as("sent before the gateway knew").isEqualTo(Admission.SERVE);

        advance(SipDrain.PROBER_SETTLE);
        assertThat(drain.announcing()).isFalse();
        assertThat(drain.admit(invite("late"), PHONE)).isEqualTo(Admission.REFUSE_NEW);
    }

    @Test
    void theAnnouncementEndsAtItsTimeoutEvenIfAProberNeverComesBack() {
        drain.admit(probe(), GATEWAY);
        drain.begin();

        advance(Duration.ofMillis(4900));
        assertThat(drain.announcing()).isTrue();
        advance(Duration.ofMillis(100));
        assertThat(drain.announcing()).isFalse();
        assertThat(drain.admit(invite("late"), PHONE)).isEqualTo(Admission.REFUSE_NEW);
    }

    @Test
    void aProberSilentForLongerThanTheAnnouncementIsNotWaitedFor() {
        drain.admit(probe(), GATEWAY);
        advance(Duration.ofSeconds(6));
        drain.begin();

        assertThat(drain.announcing()).isFalse();
    }

    @Test
    void anEndpointWithoutDrainingServesEverything() {
        SipDrain none = SipDrain.none();
        none.begin();

        assertThat(none.draining()).isFalse();
        assertThat(none.admit(invite("x"), PHONE)).isEqualTo(Admission.SERVE);
        assertThat(none.admit(probe(), GATEWAY)).isEqualTo(Admission.SERVE);
    }

    @Test
    void handlersAtWorkAreCounted() {
        drain.handling();
        drain.handling();
        drain.handled();

        assertThat(drain.handlersRunning()).isEqualTo(1);
    }

    @Test
    void anAnnouncementLongerThanTheDrainIsRefused() {
        assertThatThrownBy(() -> new SipShutdownProperties(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(1)))
                .hasMessageContaining("announce-timeout");
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static Request probe() {
        return request("OPTIONS sip:10.0.0.2:5080", "probe-" + System.nanoTime(), null);
    }

    private static Request invite(String callId) {
        return request("INVITE sip:bob@example.com", callId, null);
    }

    private static Request request(String requestLine, String callId, String toTag) {
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String text = requestLine + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.9:5062;branch=z9hG4bK" + Long.toHexString(System.nanoTime()) + "\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        try {
            return SipFactories.get().messages().createRequest(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
