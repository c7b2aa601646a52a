package io.siplane.registrar.sip;

import java.time.Clock;
import java.util.List;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.siplane.registrar.RegistrarProperties;
import io.siplane.registrar.register.RegisterMetrics;
import io.siplane.registrar.register.Registrar;
import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.chain.RequestStep;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.chain.StockSteps;
import io.siplane.sip.message.ClientAddressResolver;

/** The registrar's request handling, top to bottom (listed in registrar-service/README.md). */
@Configuration(proxyBeanMethods = false)
class RegistrarChain {

    /** Threads that send the answers Redis held up: none of its own on the Netty engine (see AnsweringThreads). */
    @Bean
    AnsweringThreads registrarAnsweringThreads(Environment env) {
        if ("netty".equalsIgnoreCase(env.getProperty("sip.engine", "jain-sip"))) {
            return AnsweringThreads.direct();
        }
        return AnsweringThreads.pool(env.getProperty("sip.thread-pool-size", Integer.class, 16));
    }

    @Bean
    RequestChain registrarRequestChain(Registrar registrar, RegistrarProperties properties, ClientAddressResolver clients,
            RegisterMetrics metrics, Clock clock, AnsweringThreads answering) {
        // registrar.trusted-edges: the older name of sip.trusted-edges, still honoured
        RegisterRequestReader reader = new RegisterRequestReader(clients.alsoTrusting(properties.trustedEdges()));
        return RequestChain.named("registrar")
                .step("absorb ACK", StockSteps.absorbAck())
                .step("REGISTER only (405)", registerOnly())
                .step("Max-Forwards (483)", StockSteps.maxForwards())
                .step("Request-URI scheme (416)", StockSteps.sipUriOnly())
                .step("Require: path only (420)", StockSteps.requireSupported("Require", Registrar.SUPPORTED_EXTENSIONS))
                .step("REGISTER, RFC 3261 §10.3 (answered when the store replies)",
                        new RegisterStep(registrar, reader, new RegisterResponseWriter(clock), metrics, answering.executor()))
                .build();
    }

    /** A registrar answers REGISTER only: anything else gets 405 with {@code Allow: REGISTER} (RFC 3261 §8.2.1). */
    private static RequestStep registerOnly() {
        List<String> allow = List.of(Request.REGISTER);
        return in -> {
            if (Request.REGISTER.equals(in.method())) {
                return Verdict.NEXT;
            }
            Response response = in.response(Response.METHOD_NOT_ALLOWED);
            for (String method : allow) {
                response.addHeader(in.factories().headers().createAllowHeader(method));
            }
            in.respond(response);
            return Verdict.DONE;
        };
    }
}
