package io.siplane.sip;

import java.util.Set;

import javax.sip.message.Response;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siplane.sip.autoconfigure.SipAutoConfiguration;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestHandler;

/** A bare endpoint on loopback that answers 200 to the given methods: one per test class, for tests of the SIP edge. */
public final class RunningEndpoint implements AutoCloseable {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SipAutoConfiguration.class)
    static class Answering {
        @Bean
        SipRequestHandler answer(org.springframework.core.env.Environment env) {
            Set<String> methods = Set.of(env.getProperty("test.methods", "OPTIONS").split(","));
            return new SipRequestHandler() {
                @Override
                public Set<String> methods() {
                    return methods;
                }

                @Override
                public void handle(IncomingRequest request) throws Exception {
                    request.respond(Response.OK);
                }
            };
        }
    }

    private final ConfigurableApplicationContext context;

    private RunningEndpoint(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** {@code properties} as {@code name=value}, e.g. {@code sip.max-tcp-connections=10}. */
    public static RunningEndpoint start(int port, String methods, String... properties) {
        String[] all = new String[properties.length + 3];
        all[0] = "sip.bind-address=127.0.0.1";
        all[1] = "sip.port=" + port;
        all[2] = "test.methods=" + methods;
        System.arraycopy(properties, 0, all, 3, properties.length);
        return new RunningEndpoint(new SpringApplicationBuilder(Answering.class).web(WebApplicationType.NONE)
                .properties(all).run());
    }

    /** The same endpoint on the Netty engine ({@code sip.engine=netty}). */
    public static RunningEndpoint startNetty(int port, String methods, String... properties) {
        String[] all = java.util.Arrays.copyOf(properties, properties.length + 1);
        all[properties.length] = "sip.engine=netty";
        return start(port, methods, all);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
