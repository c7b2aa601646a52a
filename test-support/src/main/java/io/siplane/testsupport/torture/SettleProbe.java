package io.siplane.testsupport.torture;

import java.time.Duration;
import java.util.UUID;

/**
 * A valid OPTIONS sent right behind a message that may legitimately get no answer: once the server has answered the
 * probe, it has dealt with the message before it, so waiting {@link #GRACE} more is enough to know it stays silent.
 */
public final class SettleProbe {

    /** After the probe's answer: room for a reply to the earlier message handled by another worker thread. */
    public static final Duration GRACE = Duration.ofMillis(250);

    private final String callId = "settle-probe-" + UUID.randomUUID();
    private final String domain;

    public SettleProbe(String domain) {
        this.domain = domain;
    }

    byte[] bytes(String transport, int serverPort, int localPort) {
        return Liveness.options(transport, serverPort, localPort, domain, callId);
    }

    boolean isAnswer(SipPacket packet) {
        return packet.text().contains(callId);
    }
}
