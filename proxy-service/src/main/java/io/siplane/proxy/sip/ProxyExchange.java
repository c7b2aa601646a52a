package io.siplane.proxy.sip;

import java.util.List;

import javax.sip.message.Request;

import io.siplane.proxy.relay.RoutedHere;
import io.siplane.proxy.routing.ContactTarget;
import io.siplane.proxy.sip.fork.ForkContext;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * What the proxy's steps learn about one request and hand on to the steps after them: the loop hash, the routed copy
 * every forwarded request is made from and how a Route of ours brought it, then the response context and the targets.
 * Kept on the {@link IncomingRequest} ({@code state}); only the thread running the chain for the request touches it.
 */
final class ProxyExchange {

    private String loopHash;
    private Request routed;
    private RoutedHere routedHere;
    private ForkContext context;
    private List<ContactTarget> targets;

    static ProxyExchange of(IncomingRequest in) {
        return in.state(ProxyExchange.class, request -> new ProxyExchange());
    }

    String loopHash() {
        return loopHash;
    }

    void loopHash(String value) {
        loopHash = value;
    }

    /** The request after route pre-processing (RFC 3261 §16.4): the template of every copy forwarded. */
    Request routed() {
        return routed;
    }

    RoutedHere routedHere() {
        return routedHere;
    }

    void routed(Request request, RoutedHere how) {
        routed = request;
        routedHere = how;
    }

    /** The response context, once the request is forwarded statefully: it answers the request from then on. */
    ForkContext context() {
        return context;
    }

    void context(ForkContext value) {
        context = value;
    }

    List<ContactTarget> targets() {
        return targets;
    }

    void targets(List<ContactTarget> value) {
        targets = List.copyOf(value);
    }
}
