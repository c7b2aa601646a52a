package io.siplane.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * {@link #draining}; INVITE gets 180 and waits for CANCEL (200, then 487 to the INVITE); anything else gets 200.
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
            in.respond(draining ? Response.SERVICE_UNAVAILABLE : Response.OK);
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
