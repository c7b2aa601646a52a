package io.siplane.gateway.sip;

import java.util.Optional;

import io.siplane.gateway.routing.Flow;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * One request on its way through the gateway's chain and what the steps learned about it: whether a replica sent
 * it (decided once, from the packet's source), the user agent's flow our Route entries named, and where it goes.
 */
final class Relay {

    private final IncomingRequest in;
    private final boolean fromReplica;
    private Optional<Flow> flow = Optional.empty();
    private Destination destination;

    Relay(IncomingRequest in, boolean fromReplica) {
        this.in = in;
        this.fromReplica = fromReplica;
    }

    IncomingRequest in() {
        return in;
    }

    /** Whether the packet came from one of our replicas (they are trusted to route, and never flood-limited). */
    boolean fromReplica() {
        return fromReplica;
    }

    /** The flow our popped Route entries named ({@link OurRoutes}). */
    Optional<Flow> flow() {
        return flow;
    }

    void flow(Flow target) {
        this.flow = Optional.of(target);
    }

    /** Where the request goes ({@link DestinationRules}), once decided. */
    Destination destination() {
        if (destination == null) {
            throw new IllegalStateException("the destination step has not run");
        }
        return destination;
    }

    void destination(Destination chosen) {
        this.destination = chosen;
    }
}
