package io.siplane.registrar.sip;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.springframework.stereotype.Component;

import io.siplane.registrar.RegistrarProperties;
import io.siplane.registrar.register.RegisterMetrics;
import io.siplane.registrar.register.RegisterOutcome;
import io.siplane.registrar.register.Registrar;
import io.siplane.sip.message.ClientAddressResolver;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestHandler;

/**
 * The registrar's SIP edge: REGISTER in, response out, statelessly ({@code SipProvider.sendResponse}). A registrar
 * needs no transaction state: a retransmission is processed again and gets the same answer (same To-tag, and the
 * store treats an equal Call-ID/CSeq as a repeat), which is also how Kamailio answers REGISTER.
 */
@Component
public class RegisterSipHandler implements SipRequestHandler {

    private final Registrar registrar;
    private final RegisterRequestReader reader;
    private final RegisterResponseWriter writer;
    private final RegisterMetrics metrics;

    public RegisterSipHandler(Registrar registrar, RegistrarProperties properties, ClientAddressResolver clients,
            RegisterMetrics metrics, Clock clock) {
        this.registrar = registrar;
        // registrar.trusted-edges: the older name of sip.trusted-edges, still honoured
        this.reader = new RegisterRequestReader(clients.alsoTrusting(properties.trustedEdges()));
        this.writer = new RegisterResponseWriter(clock);
        this.metrics = metrics;
    }

    @Override
    public Set<String> methods() {
        return Set.of(Request.REGISTER);
    }

    @Override
    public void handle(IncomingRequest in) throws Exception {
        long start = System.nanoTime();
        Response response;
        try {
            RegisterOutcome outcome = registrar.process(reader.read(in.request(), in.source()));
            response = writer.write(in, outcome);
        } catch (InvalidRegisterException e) {
            response = in.response(e.status(), e.getMessage());
        }
        try {
            in.respond(response);
        } finally {
            metrics.answered(response.getStatusCode(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
