package io.siplane.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.sip.SipEndpoint;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.Vias;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.pipeline.SipRequestHandler;

/**
 * A replica stand-in for gateway tests: a real JAIN-SIP endpoint that answers statelessly, so it sees every message
 * the gateway sends it (retransmissions, CANCEL, ACK included) and records them. OPTIONS gets 200, or 503 while
 * {@link #draining} (late with {@link #probeDelay}); INVITE gets 180 and waits for CANCEL (200, then 487 to the INVITE); anything else gets 200.
 */
final class StandInReplica implements AutoCloseable {

    /** A request as the replica received it. */
    record Received(String method, String callId, Request request) {
    }

    private final String address;
    private final int port;
    private final SipEndpoint endpoint;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, IncomingRequest> invitesByBranch = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private volatile Duration probeDelay = Duration.ZERO;
    private final AtomicInteger lateProbes = new AtomicInteger();

    StandInReplica(String address, int port) {
        this.address = address;
        this.port = port;
        SipRequestHandler handler = new SipRequestHandler() {
            @Override
            public Set<String> methods() {
                return Set.of(ANY_METHOD);
            }

            @Override
            public void handle(IncomingRequest in) throws Exception {
                answer(in);
            }
        };
        SipProperties props = SipProperties.of(address, port);
        this.endpoint = new SipEndpoint(props, new SipRequestDispatcher(List.of(handler), Optional.empty(), SipFactories.get(), ""));
        endpoint.start();
    }

    private void answer(IncomingRequest in) throws Exception {
        Request request = in.request();
        String method = request.getMethod();
        if (Request.OPTIONS.equals(method) && SipHeaders.callId(request).startsWith("probe-")) {
            int status = draining ? Response.SERVICE_UNAVAILABLE : Response.OK;
            Duration delay = probeDelay;
            if (delay.isZero()) {
                in.respond(status);
            } else {
                // a starved or slow replica: the probe's answer leaves late, other requests are answered at once
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                    lateProbes.incrementAndGet();
                    try {
                        in.respond(status);
                    } catch (Exception e) {
                        // the stand-in may be closing
                    }
                });
            }
            return;
        }
        received.add(new Received(method, SipHeaders.callId(request), request));
        switch (method) {
            case Request.ACK -> {
            }
            case Request.INVITE -> {
                invitesByBranch.put(Vias.topBranch(request), in);
                in.respond(Response.RINGING);
            }
            case Request.CANCEL -> {
                in.respond(Response.OK);
                IncomingRequest invite = invitesByBranch.remove(Vias.topBranch(request));
                if (invite != null) {
                    invite.respond(Response.REQUEST_TERMINATED);
                }
            }
            default -> in.respond(Response.OK);
        }
    }

    String address() {
        return address;
    }

    int port() {
        return port;
    }

    /** Answers probes {@code delay} late (zero: at once). */
    void probeDelay(Duration delay) {
        this.probeDelay = delay;
    }

    /** Probes answered late so far. */
    int lateProbes() {
        return lateProbes.get();
    }

    void draining(boolean draining) {
        this.draining = draining;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> receivedFor(String callId) {
        return received.stream().filter(r -> r.callId().equals(callId)).toList();
    }

    long countNotProbes() {
        return received.size();
    }

    void clear() {
        received.clear();
    }

    @Override
    public void close() {
        endpoint.stop();
    }

    @Override
    public String toString() {
        return "stand-in " + address + ":" + port;
    }
}
