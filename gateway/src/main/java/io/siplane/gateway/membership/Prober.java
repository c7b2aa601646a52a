package io.siplane.gateway.membership;

import java.util.concurrent.CompletableFuture;

/** Asks a target whether it is alive; completes with the status of its answer, or exceptionally on timeout. */
@FunctionalInterface
public interface Prober {

    CompletableFuture<Integer> probe(TargetAddress target);
}
