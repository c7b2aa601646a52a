package io.siplane.gateway.sip;

import io.siplane.sip.chain.RequestStep.Verdict;

/** A step of the gateway's chain ({@link GatewayChain}) that reads or records what earlier steps learned ({@link Relay}). */
@FunctionalInterface
interface RelayStep {

    Verdict apply(Relay relay) throws Exception;
}
