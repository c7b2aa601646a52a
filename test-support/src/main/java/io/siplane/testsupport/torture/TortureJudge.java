package io.siplane.testsupport.torture;

import java.util.List;
import java.util.Optional;

/** Applies a message's {@link Expectation} (RFC 4475 §3.1.1 / §3.1.2) to what came back for it. */
public final class TortureJudge {

    private TortureJudge() {
    }

    public static Verdict judge(TortureMessage message, RawSipClient.Exchange exchange) {
        List<SipPacket> received = exchange.received();
        for (SipPacket packet : received) {
            Optional<String> problem = WireHygiene.problem(packet);
            if (problem.isPresent()) {
                return Verdict.fail(problem.get());
            }
        }
        Optional<Integer> status = received.stream().filter(SipPacket::isFinalResponse).findFirst().flatMap(SipPacket::status);
        boolean relayed = received.stream().anyMatch(SipPacket::isRequest);
        Expectation expectation = message.expectation();
        return switch (expectation.kind()) {
            case PROCESS -> {
                if (status.isEmpty()) {
                    yield relayed ? Verdict.pass("relayed on") : Verdict.fail("a well-formed message got no answer");
                }
                if (status.get() == 400 || status.get() == 500) {
                    yield Verdict.fail("a well-formed message was answered " + status.get());
                }
                yield Verdict.pass("processed: " + status.get());
            }
            case REJECT -> {
                if (status.isEmpty()) {
                    yield relayed ? Verdict.fail("a malformed message was relayed on") : Verdict.pass("dropped");
                }
                if (status.get() == 400 || expectation.alsoAccepted().contains(status.get())) {
                    yield Verdict.pass("rejected: " + status.get());
                }
                yield Verdict.fail("a malformed message was answered " + status.get() + " instead of 400"
                        + (expectation.alsoAccepted().isEmpty() ? "" : " or " + expectation.alsoAccepted()) + " or nothing");
            }
            case LENIENT -> {
                if (status.isPresent() && status.get() == 500) {
                    yield Verdict.fail("answered 500");
                }
                yield Verdict.pass(status.map(s -> "answered " + s).orElse(relayed ? "relayed on" : "dropped"));
            }
            case DISCARD -> {
                // a proxy may relay a stray response statelessly (RFC 3261 §16.7): the same status comes to us then
                Optional<Integer> sent = new SipPacket(exchange.sent()).status();
                Optional<Integer> other = received.stream().map(SipPacket::status).flatMap(Optional::stream)
                        .filter(s -> sent.isEmpty() || !s.equals(sent.get())).findFirst();
                if (other.isPresent()) {
                    yield Verdict.fail("a response was answered with " + other.get());
                }
                if (received.stream().anyMatch(SipPacket::isRequest)) {
                    yield Verdict.fail("a response caused a request");
                }
                yield Verdict.pass(received.isEmpty() ? "discarded" : "relayed statelessly");
            }
        };
    }
}
