package io.siplane.sip.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestHandler;

/**
 * A service's request handling as one ordered list of named steps, read top to bottom: the first step that answers
 * ends the chain. Built once at start-up:
 *
 * <pre>{@code
 * RequestChain.named("redirect")
 *         .step("absorb ACK", StockSteps.absorbAck())
 *         .step("Max-Forwards", StockSteps.maxForwards())
 *         .step("lookup and 302", this::redirect)
 *         .build();
 * }</pre>
 *
 * <p>It takes every method ({@link SipRequestHandler#ANY_METHOD}): the dispatcher in front of it answers defective
 * requests and refuses new ones while draining; a step that throws before a final answer gets a 500 from there.
 * A request no step answered is a bug in the chain: it fails (500) rather than going unanswered.
 */
public final class RequestChain implements SipRequestHandler {

    /** A step and the name it is listed under (logs, README, {@link #stepNames()}). */
    public record NamedStep(String name, RequestStep step) {
    }

    private final String name;
    private final NamedStep[] steps;

    private RequestChain(String name, List<NamedStep> steps) {
        this.name = name;
        this.steps = steps.toArray(NamedStep[]::new);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    @Override
    public Set<String> methods() {
        return Set.of(ANY_METHOD);
    }

    @Override
    public void handle(IncomingRequest request) throws Exception {
        for (NamedStep step : steps) {
            if (step.step().apply(request) == Verdict.DONE) {
                return;
            }
        }
        throw new IllegalStateException("no step of the " + name + " chain answered a " + request.method());
    }

    public String name() {
        return name;
    }

    /** The step names in order, as a service's README lists them. */
    public List<String> stepNames() {
        List<String> names = new ArrayList<>(steps.length);
        for (NamedStep step : steps) {
            names.add(step.name());
        }
        return names;
    }

    @Override
    public String toString() {
        return name + " chain " + String.join(" → ", stepNames());
    }

    public static final class Builder {

        private final String name;
        private final List<NamedStep> steps = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder step(String stepName, RequestStep step) {
            if (stepName == null || stepName.isBlank() || step == null) {
                throw new IllegalArgumentException("a step needs a name and a body");
            }
            steps.add(new NamedStep(stepName, step));
            return this;
        }

        public RequestChain build() {
            if (steps.isEmpty()) {
                throw new IllegalStateException("the " + name + " chain has no step");
            }
            return new RequestChain(name, steps);
        }
    }
}
