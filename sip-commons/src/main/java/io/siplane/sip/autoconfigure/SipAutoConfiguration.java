package io.siplane.sip.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.sip.SipEndpoint;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipListeningEndpoint;
import io.siplane.sip.SipProperties;
import io.siplane.sip.Transport;
import io.siplane.sip.message.ClientAddressResolver;
import io.siplane.sip.netty.NettySender;
import io.siplane.sip.netty.NettySipEndpoint;
import io.siplane.sip.message.TrustedEdgeProperties;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.pipeline.SipRequestHandler;
import io.siplane.sip.pipeline.SipResponseHandler;
import io.siplane.sip.shutdown.SipDrain;
import io.siplane.sip.shutdown.SipShutdownProperties;
import io.siplane.sip.transport.ProviderSender;

/**
 * A SIP stack for every application that has sip-commons on its classpath ({@code sip.enabled=false} to opt out):
 * the {@link SipRequestHandler} and {@link SipResponseHandler} beans of the application are wired into one
 * {@link SipRequestDispatcher}, and a {@link SipEndpoint} (JAIN-SIP RI, the default) or a {@link NettySipEndpoint}
 * ({@code sip.engine: netty}) listens with the {@code sip.*} properties. Handlers send through the {@code SipSender}
 * of the engine ({@link ProviderSender} or {@link NettySender}).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "sip", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({SipProperties.class, SipShutdownProperties.class, TrustedEdgeProperties.class})
public class SipAutoConfiguration {

    /** The client's real address for the services behind the gateway ({@code sip.trusted-edges}). */
    @Bean
    @ConditionalOnMissingBean
    public ClientAddressResolver clientAddressResolver(TrustedEdgeProperties properties) {
        return new ClientAddressResolver(properties.trustedEdges());
    }

    /** The draining state shared by the dispatcher and the endpoint ({@code sip.shutdown.*}). */
    @Bean
    @ConditionalOnMissingBean
    public SipDrain sipDrain(SipShutdownProperties properties) {
        return new SipDrain(properties);
    }

    /**
     * The sender the handlers use: it exists before them, the dispatcher and the endpoint, which attaches its
     * providers at start.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "sip", name = "engine", havingValue = SipProperties.JAIN_SIP, matchIfMissing = true)
    public ProviderSender providerSender() {
        return new ProviderSender();
    }

    @Bean
    @ConditionalOnMissingBean
    public SipRequestDispatcher sipRequestDispatcher(ObjectProvider<SipRequestHandler> handlers,
            ObjectProvider<SipResponseHandler> responseHandlers, SipProperties properties, SipDrain drain) {
        List<SipResponseHandler> responses = responseHandlers.orderedStream().toList();
        if (responses.size() > 1) {
            throw new IllegalStateException("at most one SipResponseHandler per application, found " + responses.size());
        }
        return new SipRequestDispatcher(handlers.orderedStream().toList(), responses.stream().findFirst(),
                SipFactories.get(), properties.serverName(), drain);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "sip", name = "engine", havingValue = SipProperties.JAIN_SIP, matchIfMissing = true)
    public SipEndpoint sipEndpoint(SipProperties properties, SipRequestDispatcher dispatcher, SipDrain drain,
            ProviderSender sender, ObjectProvider<MeterRegistry> meters) {
        SipEndpoint endpoint = new SipEndpoint(properties, dispatcher, drain, sender);
        meters.ifAvailable(registry -> droppedCounter(endpoint, registry,
                "UDP datagrams dropped because the receive queue was full (overload)"));
        return endpoint;
    }

    /** The Netty engine's sender ({@code sip.engine: netty}): exists before the handlers, attached at start. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "sip", name = "engine", havingValue = SipProperties.NETTY)
    public NettySender nettySender() {
        return new NettySender();
    }

    /** The Netty engine ({@code sip.engine: netty}): the event loops and sockets that feed the same dispatcher. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "sip", name = "engine", havingValue = SipProperties.NETTY)
    public NettySipEndpoint nettySipEndpoint(SipProperties properties, SipRequestDispatcher dispatcher, SipDrain drain,
            NettySender sender, ObjectProvider<MeterRegistry> meters) {
        NettySipEndpoint endpoint = new NettySipEndpoint(properties, dispatcher, drain, sender);
        meters.ifAvailable(registry -> droppedCounter(endpoint, registry,
                "UDP datagrams dropped by the endpoint (longer than sip.max-message-size)"));
        return endpoint;
    }

    private static void droppedCounter(SipListeningEndpoint endpoint, MeterRegistry registry, String description) {
        FunctionCounter.builder("siplane.sip.udp.dropped", endpoint, SipListeningEndpoint::droppedUdpMessages)
                .description(description)
                .register(registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class SipHealthConfiguration {

        /** Health contributor {@code sip}: up while the stack runs and reads from every listening point. */
        @Bean
        HealthIndicator sipHealthIndicator(SipProperties properties, SipListeningEndpoint endpoint) {
            // the properties first: an invalid sip.engine (no endpoint bean) then fails with its own message
            return () -> {
                if (!endpoint.isRunning()) {
                    return Health.down().withDetail("reason", "SIP stack not running").build();
                }
                if (!endpoint.isListening()) {
                    return Health.down().withDetail("reason", "a SIP listening point stopped reading").build();
                }
                // still UP while draining: liveness includes this indicator, and readiness is already refusing
                return Health.up()
                        .withDetail("port", endpoint.properties().port())
                        .withDetail("draining", endpoint.isDraining())
                        .withDetail("transports", endpoint.transports().stream().map(Transport::token).toList())
                        .build();
            };
        }
    }

}
