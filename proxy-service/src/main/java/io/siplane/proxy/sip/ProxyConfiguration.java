package io.siplane.proxy.sip;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.location.BindingLookup;
import io.siplane.location.LocationStore;
import io.siplane.location.NonceCountStore;
import io.siplane.proxy.ProxyProperties;
import io.siplane.proxy.auth.ProxyAuthenticator;
import io.siplane.proxy.auth.StoreHa1Source;
import io.siplane.proxy.fork.Forker;
import io.siplane.proxy.loop.BranchIds;
import io.siplane.proxy.loop.LoopDetector;
import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.relay.Endpoint;
import io.siplane.proxy.relay.InDialogRelayPolicy;
import io.siplane.proxy.relay.RecordRouteSignature;
import io.siplane.proxy.relay.ProxyRouter;
import io.siplane.proxy.relay.RequestForwarder;
import io.siplane.proxy.relay.RoutePreprocessor;
import io.siplane.proxy.relay.StatelessRelay;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.proxy.routing.TargetResolver;
import io.siplane.proxy.validate.RequestValidator;
import io.siplane.sip.SipEndpoint;
import io.siplane.sip.SipProperties;
import io.siplane.sip.digest.DigestAuthenticator;
import io.siplane.sip.digest.SharedNonceCountStore;
import io.siplane.sip.digest.Ha1Source;
import io.siplane.sip.message.ClientAddressResolver;

/** The proxy's pipeline steps, wired explicitly in the order a request meets them. */
@Configuration(proxyBeanMethods = false)
public class ProxyConfiguration {

    static final String ROUTER_PATH = "javax.sip.ROUTER_PATH";

    @Bean
    LocalDomains localDomains(ProxyProperties proxy, SipProperties sip) {
        Set<String> hosts = new HashSet<>();
        hosts.add(sip.advertisedHost());
        if (!isWildcard(sip.bindAddress())) {
            hosts.add(sip.bindAddress());
        }
        return new LocalDomains(proxy.domains(), hosts, new HashSet<>(List.of(sip.port(), sip.effectiveAdvertisedPort())),
                proxy.aliases());
    }

    @Bean
    RequestValidator requestValidator(SipProperties sip, ProxyProperties proxy) {
        return new RequestValidator(new LoopDetector(sip.advertisedHost(), sip.effectiveAdvertisedPort()),
                Set.copyOf(proxy.supportedExtensions()));
    }

    /**
     * Signs our Record-Route entries with {@code SIP_NONCE_SECRET} (shared by the replicas); without one (authentication
     * off, no secret) a random per-process key: record-routed dialogs then survive neither a restart nor another replica.
     */
    @Bean
    RecordRouteSignature recordRouteSignature(Environment environment) {
        String secret = environment.getProperty("sip.digest.nonce-secret", "");
        if (secret.length() >= 16) {
            return new RecordRouteSignature(secret.getBytes(StandardCharsets.UTF_8));
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new RecordRouteSignature(random);
    }

    @Bean
    RoutePreprocessor routePreprocessor(LocalDomains domains, RecordRouteSignature signature) {
        return new RoutePreprocessor(domains, signature);
    }

    @Bean
    InDialogRelayPolicy inDialogRelayPolicy(ProxyProperties proxy, LocalDomains domains, BindingLookup lookup) {
        return new InDialogRelayPolicy(proxy.relayForeignDomains(), domains, lookup);
    }

    @Bean
    Endpoint endpoint(ObjectProvider<SipEndpoint> endpoint) {
        return new Endpoint(endpoint::getObject);
    }

    @Bean
    RequestForwarder requestForwarder(Endpoint endpoint, SipProperties sip, RecordRouteSignature signature) {
        // the forwarder decides each next hop; the stack must ask our router for it (see application.yml)
        String router = sip.stackProperties().get(ROUTER_PATH);
        if (!ProxyRouter.class.getName().equals(router)) {
            throw new IllegalStateException("sip.stack-properties[" + ROUTER_PATH + "] must be " + ProxyRouter.class.getName()
                    + " for the proxy (found " + router + ")");
        }
        return new RequestForwarder(endpoint, signature);
    }

    @Bean
    StatelessRelay statelessRelay(RequestForwarder forwarder, Endpoint endpoint) {
        return new StatelessRelay(forwarder, endpoint);
    }

    @Bean
    TargetResolver targetResolver(BindingLookup lookup) {
        return new TargetResolver(lookup);
    }

    @Bean
    ProxyMetrics proxyMetrics(MeterRegistry registry) {
        return new ProxyMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    Forker forker(RequestForwarder forwarder, ProxyMetrics metrics, ProxyProperties proxy) {
        Forker forker = new Forker(forwarder, new BranchIds(), metrics, proxy.recordRoute(), proxy.timerC());
        metrics.watchActiveTransactions(forker::active);
        return forker;
    }

    @Bean
    ProxyAuthenticator proxyAuthenticator(ProxyProperties proxy, ObjectProvider<DigestAuthenticator> authenticator,
            LocalDomains domains, ClientAddressResolver clients) {
        return new ProxyAuthenticator(proxy, Optional.ofNullable(authenticator.getIfAvailable()), domains, clients);
    }

    @Bean
    ProxyRequestHandler proxyRequestHandler(RequestValidator validator, RoutePreprocessor routes, StatelessRelay relay,
            ProxyAuthenticator authenticator, TargetResolver resolver, Forker forker, LocalDomains domains,
            InDialogRelayPolicy inDialogRelay, ProxyMetrics metrics, ProxyProperties proxy) {
        return new ProxyRequestHandler(validator, routes, relay, authenticator, resolver, forker, domains, inDialogRelay,
                metrics, proxy);
    }

    @Bean
    ProxyResponseHandler proxyResponseHandler(StatelessRelay relay) {
        return new ProxyResponseHandler(relay);
    }

    /** Digest challenges (407) are on unless {@code proxy.authentication.enabled=false}; they need SIP_NONCE_SECRET. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "proxy.authentication", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class AuthenticationConfiguration {

        /** Declared as what it is: the location change events find it as a cache to evict. */
        @Bean
        StoreHa1Source subscriberHa1Source(LocationStore store, ProxyProperties proxy) {
            ProxyProperties.Ha1Cache cache = proxy.authentication().ha1Cache();
            return new StoreHa1Source(store, cache.ttl(), cache.maxSize());
        }

        @Bean
        SharedNonceCountStore sharedNonceCounts(NonceCountStore counts) {
            return counts::accept;
        }
    }

    private static boolean isWildcard(String address) {
        return "0.0.0.0".equals(address) || "::".equals(address) || "[::]".equals(address);
    }
}
