package io.siplane.registrar.sip;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.registrar.register.RegisterMetrics;
import io.siplane.registrar.register.RegisterOutcome;
import io.siplane.registrar.register.Registrar;
import io.siplane.sip.chain.RequestStep;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * The registrar chain's last step: the REGISTER read into our own type (400 when unusable), handed to the
 * {@link Registrar} (RFC 3261 §10.3), and answered when its outcome completes — at once for what needs no store,
 * else from {@link AnsweringThreads} once Redis has replied. The step itself returns {@link Verdict#DONE} without waiting.
 *
 * <p>Answered statelessly: a retransmission is processed again and gets the same answer (same To-tag, and the store
 * treats an equal Call-ID/CSeq as a repeat), which is also how Kamailio answers REGISTER.
 */
final class RegisterStep implements RequestStep {

    private static final Logger log = LoggerFactory.getLogger(RegisterStep.class);

    private final Registrar registrar;
    private final RegisterRequestReader reader;
    private final RegisterResponseWriter writer;
    private final RegisterMetrics metrics;
    private final Executor answering;

    RegisterStep(Registrar registrar, RegisterRequestReader reader, RegisterResponseWriter writer, RegisterMetrics metrics,
            Executor answering) {
        this.registrar = registrar;
        this.answering = answering;
        this.reader = reader;
        this.writer = writer;
        this.metrics = metrics;
    }

    @Override
    public Verdict apply(IncomingRequest in) throws Exception {
        long start = System.nanoTime();
        try {
            CompletableFuture<RegisterOutcome> outcome = registrar.process(reader.read(in.request(), in.source()))
                    .toCompletableFuture();
            if (outcome.isDone()) {
                // answered without Redis (401, 4xx): on this thread, no hand-off
                outcome.whenComplete((o, failure) -> answer(in, o, failure, start));
            } else {
                outcome.whenCompleteAsync((o, failure) -> answer(in, o, failure, start), answering);
            }
        } catch (InvalidRegisterException e) {
            send(in, in.response(e.status(), e.getMessage()), start);
        }
        return Verdict.DONE;
    }

    /** Never throws: it may run on Redis's reply thread, where nobody else would answer the request. */
    private void answer(IncomingRequest in, RegisterOutcome outcome, Throwable failure, long start) {
        Response response;
        try {
            if (failure != null) {
                throw failure;
            }
            response = writer.write(in, outcome);
        } catch (Throwable t) {
            // the same answer the dispatcher gives a step that throws
            log.warn("REGISTER for Call-ID {} failed", in.request().getHeader("Call-ID"), t);
            response = in.response(Response.SERVER_INTERNAL_ERROR);
        }
        try {
            send(in, response, start);
        } catch (Exception e) {
            log.warn("could not answer a REGISTER from {}: {}", in.source(), e.toString());
        }
    }

    private void send(IncomingRequest in, Response response, long start) throws Exception {
        try {
            in.respond(response);
        } finally {
            metrics.answered(response.getStatusCode(), start);
        }
    }
}
