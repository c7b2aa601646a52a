package io.siplane.gateway;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.gateway.flood.FloodGuard;
import io.siplane.gateway.membership.HostResolver;
import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.TargetPool;
import io.siplane.gateway.membership.TargetSpec;
import io.siplane.gateway.routing.FlowTokens;
import io.siplane.gateway.sip.GatewayAddresses;
import io.siplane.gateway.sip.GatewayChain;
import io.siplane.gateway.sip.OptionsProber;
import io.siplane.gateway.sip.ResponseRelay;
import io.siplane.sip.SipProperties;
import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.transport.SipSender;

/**
 * The SIP edge: pools of replicas, probing, flood guard, the request chain and the response relay the sip-commons
 * dispatcher calls. They send through the engine's {@link SipSender}, which exists before them (the endpoint attaches
 * its sockets when it starts).
 */
@Configuration(proxyBeanMethods = false)
class SipEdgeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SipEdgeConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    HostResolver hostResolver() {
        return HostResolver.system();
    }

    @Bean
    GatewayAddresses gatewayAddresses(SipProperties sip, GatewayProperties properties) {
        return GatewayAddresses.of(sip, properties.internalAddress(), properties.aliases());
    }

    @Bean
    FlowTokens flowTokens(GatewayProperties properties) {
        if (properties.flowTokenSecret().isEmpty()) {
            log.info("gateway.flow-token-secret (GATEWAY_FLOW_TOKEN_SECRET) not set: flow tokens are signed with a random "
                    + "key, so user agents registered through this gateway must register again after a restart");
        }
        return FlowTokens.withSecret(properties.flowTokenSecret());
    }

    @Bean
    CircuitBreakerRegistry targetCircuitBreakers(GatewayProperties properties, MeterRegistry meters) {
        GatewayProperties.CircuitBreaker cb = properties.circuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(Math.min(cb.minimumNumberOfCalls(), cb.slidingWindowSize()))
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.waitInOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(2)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    TargetPool registrarPool(GatewayProperties properties, HostResolver resolver, CircuitBreakerRegistry breakers,
            MeterRegistry meters) {
        return pool(PoolRole.REGISTRAR, properties.registrar(), properties, resolver, breakers, meters);
    }

    @Bean
    TargetPool proxyPool(GatewayProperties properties, HostResolver resolver, CircuitBreakerRegistry breakers,
            MeterRegistry meters) {
        return pool(PoolRole.PROXY, properties.proxy(), properties, resolver, breakers, meters);
    }

    private static TargetPool pool(PoolRole role, GatewayProperties.Pool pool, GatewayProperties properties,
            HostResolver resolver, CircuitBreakerRegistry breakers, MeterRegistry meters) {
        TargetSpec spec;
        try {
            spec = TargetSpec.parse(pool.targets(), pool.defaultPort());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway." + role.tag() + ".targets (" + role.name() + "_TARGETS): " + e.getMessage(), e);
        }
        return new TargetPool(role, spec, resolver, breakers, meters, new TargetPool.Settings(properties.probe().upThreshold(),
                properties.probe().downThreshold(), properties.affinity().ttl(), properties.affinity().maxEntries(),
                properties.probe().keepLastFor()));
    }

    @Bean
    OptionsProber optionsProber(SipSender sender, GatewayAddresses addresses, GatewayProperties properties) {
        return new OptionsProber(sender, addresses, properties.targetTransport());
    }

    @Bean
    Membership membership(@Qualifier("registrarPool") TargetPool registrarPool, @Qualifier("proxyPool") TargetPool proxyPool,
            OptionsProber prober, GatewayProperties properties) {
        return new Membership(List.of(registrarPool, proxyPool), prober, properties.targetTransport(), properties.resolveInterval(),
                properties.probe().interval(), properties.probe().timeout());
    }

    @Bean
    FloodGuard floodGuard(GatewayProperties properties, MeterRegistry meters) {
        GatewayProperties.Flood f = properties.flood();
        return new FloodGuard(f.enabled(), f.ratePerSecond(), f.burst(), f.allow(), f.trackedSources(), meters, System::nanoTime);
    }

    /** Every request, whatever its method: the gateway's steps in order ({@link GatewayChain}). */
    @Bean
    RequestChain gatewayChain(SipSender sender, GatewayAddresses addresses, GatewayProperties properties,
            Membership membership, FloodGuard flood, FlowTokens tokens, MeterRegistry meters) {
        RequestChain chain = GatewayChain.build(sender, addresses, properties, membership, flood, tokens, meters);
        log.info("{}", chain);
        return chain;
    }

    @Bean
    ResponseRelay responseRelay(SipSender sender, GatewayAddresses addresses, OptionsProber prober,
            Membership membership, MeterRegistry meters) {
        return new ResponseRelay(sender, addresses, prober, membership, meters);
    }

    /** Health contributor {@code sipTargets}: up while each pool has a replica taking new transactions (or kept as the last resort). */
    @Bean
    HealthIndicator sipTargetsHealthIndicator(Membership membership) {
        return () -> {
            boolean allServed = true;
            Health.Builder builder = Health.up();
            for (TargetPool pool : membership.pools()) {
                Map<String, String> states = pool.describe();
                builder.withDetail(pool.role().tag(), states);
                allServed &= pool.serving();
            }
            return allServed ? builder.build() : builder.outOfService().build();
        };
    }
}
