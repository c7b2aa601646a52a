package io.siplane.gateway.sip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sip.SipException;
import javax.sip.message.Request;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.sip.chain.RequestStep;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * How the gateway's steps end a request: a refusal (never for an ACK: RFC 3261 §17.1.1.3, an ACK gets no response,
 * so one refused is dropped) or a forward, each counted in {@code siplane.gateway.requests{outcome}}.
 */
final class Outcomes {

    private static final int RETRY_AFTER_SECONDS = 5;

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    Outcomes(MeterRegistry meters) {
        this.meters = meters;
    }

    Verdict refuse(IncomingRequest in, int status) throws SipException {
        if (!isAck(in)) {
            in.respond(status);
            count("rejected-" + status);
        }
        return Verdict.DONE;
    }

    Verdict refuse(IncomingRequest in, int status, String reason) throws SipException {
        if (!isAck(in)) {
            in.respond(in.response(status, reason));
            count("rejected-" + status);
        }
        return Verdict.DONE;
    }

    /** A 200 the gateway gives itself (OPTIONS addressed to it). */
    Verdict answer(IncomingRequest in, int status) throws SipException {
        if (!isAck(in)) {
            in.respond(status);
            count("local");
        }
        return Verdict.DONE;
    }

    /** RFC 3261 §21.5.4: no replica could take it; the client may retry later. A failure to answer is not fatal. */
    Verdict refuseRetryLater(IncomingRequest in, int status) {
        if (!isAck(in)) {
            try {
                in.respondRetryAfter(status, RETRY_AFTER_SECONDS);
                count("rejected-" + status);
            } catch (SipException | RuntimeException e) {
                // the client retransmits (UDP) or its connection is gone (TCP): nothing more to do
            }
        }
        return Verdict.DONE;
    }

    /**
     * A shared check ({@code StockSteps}) as a gateway step: its refusals are counted as {@code outcome}, and an ACK it
     * refuses is dropped unanswered (the check answers into nothing).
     */
    RequestStep check(RequestStep check, String outcome) {
        return in -> {
            if (isAck(in)) {
                return check.apply(new IncomingRequest(in.request(), in.source(), response -> { }, in.factories(), ""));
            }
            Verdict verdict = check.apply(in);
            if (verdict == Verdict.DONE) {
                count(outcome);
            }
            return verdict;
        };
    }

    void count(String outcome) {
        Counter counter = counters.get(outcome);
        if (counter == null) {
            counter = counters.computeIfAbsent(outcome, o -> Counter.builder("siplane.gateway.requests")
                    .description("requests handled by the SIP edge, by outcome").tag("outcome", o).register(meters));
        }
        counter.increment();
    }

    private static boolean isAck(IncomingRequest in) {
        return Request.ACK.equals(in.method());
    }
}
