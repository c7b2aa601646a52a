package io.siplane.sip.chain;

import io.siplane.sip.pipeline.IncomingRequest;

/**
 * One step of a service's request chain ({@link RequestChain}): it answers the request (or absorbs it, or takes it
 * over to answer later, e.g. when a store replies), and says {@link Verdict#DONE}; or it leaves the request to the
 * next step with {@link Verdict#NEXT}. A step runs on the thread that received the message (a Netty event loop or
 * an RI worker): it never blocks on I/O; what waits for a store completes asynchronously and answers from there.
 */
@FunctionalInterface
public interface RequestStep {

    enum Verdict {
        /** The request is answered, absorbed or taken over: no later step runs. */
        DONE,
        /** Not this step's business: the next step runs. */
        NEXT
    }

    Verdict apply(IncomingRequest request) throws Exception;
}
