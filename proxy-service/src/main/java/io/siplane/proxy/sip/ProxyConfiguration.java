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
import io.siplane.proxy.auth.StoreHa1Source;
import io.siplane.proxy.loop.BranchIdMinter;
import io.siplane.proxy.loop.LoopDetector;
import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.relay.InDialogRelayPolicy;
import io.siplane.proxy.relay.RecordRouteSignature;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.proxy.routing.TargetResolver;
import io.siplane.proxy.sip.auth.ProxyAuthenticator;
import io.siplane.proxy.sip.fork.Forker;
import io.siplane.proxy.sip.relay.AdvertisedAddress;
import io.siplane.proxy.sip.relay.RequestCopier;
import io.siplane.proxy.sip.relay.RoutePreprocessor;
import io.siplane.proxy.sip.relay.StatelessRelay;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.chain.RequestChain;
import io.siplane.sip.chain.StockSteps;
import io.siplane.sip.digest.DigestAuthenticator;
import io.siplane.sip.digest.SharedNonceCountStore;
import io.siplane.sip.message.ClientAddressResolver;
import io.siplane.sip.transport.ProviderSender;

/** The proxy's request chain and what its steps work with, wired explicitly. */
@Configuration(proxyBeanMethods = false)
public class ProxyConfiguration {

    /**
     * Every request the proxy receives, top to bottom (RFC 3261 §16): the first step that answers ends it. Before it,
     * sip-commons' dispatcher answers defective requests (400) and refuses new ones while draining.
     */
    @Bean
    RequestChain proxyRequestChain(ProxyAnswers answers, ValidationSteps validation, RoutingSteps routing,
            ForwardingSteps forwarding, ProxyProperties proxy) {
        return RequestChain.named("proxy")
                .step("CANCEL to its INVITE", forwarding::cancel)
                // RFC 3261 §11, §16.3 step 3: OPTIONS for the proxy itself is answered, whatever its Max-Forwards
                .step("OPTIONS to the proxy", answers.counted(StockSteps.optionsToSelf(
                        in -> routing.addressedToProxy(in.request().getRequestURI()), ProxyAnswers.ROUTED, List.of("application/sdp"))))
                // RFC 3261 §16.3 validation, in the RFC's order; rejections are stateless
                .step("CSeq method", validation::cseqMatchesMethod)
                .step("URI scheme", answers.counted(StockSteps.sipUriOnly()))
                .step("Max-Forwards", answers.counted(StockSteps.maxForwards()))
                .step("loop detection", validation::detectLoop)
                .step("Proxy-Require", answers.counted(StockSteps.requireSupported("Proxy-Require", proxy.supportedExtensions())))
                .step("route pre-processing", routing::preprocessRoutes)
                .step("ACK along the route set", routing::relayAck)
                .step("in-dialog relay", routing::relayInDialog)
                .step("drop a preloaded Route", routing::dropPreloadedRoute)
                .step("requests for the proxy", routing::answerForProxy)
                .step("server transaction", forwarding::openTransaction)
                .step("authenticate", forwarding::authenticate)
                .step("resolve the target", forwarding::resolveTarget)
                .step("fork", forwarding::fork)
                .build();
    }

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
    AdvertisedAddress advertisedAddress(SipProperties sip) {
        return new AdvertisedAddress(sip, SipFactories.get());
    }

    /** Sends through sip-commons' {@link ProviderSender}: it exists before the endpoint, which attaches its providers. */
    @Bean
    RequestCopier requestCopier(ProviderSender sender, AdvertisedAddress advertised, RecordRouteSignature signature) {
        return new RequestCopier(sender, advertised, signature);
    }

    @Bean
    StatelessRelay statelessRelay(RequestCopier copier, ProviderSender sender, AdvertisedAddress advertised) {
        return new StatelessRelay(copier, sender, advertised);
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
    Forker forker(RequestCopier copier, ProxyMetrics metrics, ProxyProperties proxy) {
        Forker forker = new Forker(copier, new BranchIdMinter(), metrics, proxy.recordRoute(), proxy.timerC());
        metrics.watchActiveTransactions(forker::active);
        return forker;
    }

    @Bean
    ProxyAuthenticator proxyAuthenticator(ProxyProperties proxy, ObjectProvider<DigestAuthenticator> authenticator,
            LocalDomains domains, ClientAddressResolver clients) {
        return new ProxyAuthenticator(proxy, Optional.ofNullable(authenticator.getIfAvailable()), domains, clients);
    }

    @Bean
    ProxyAnswers proxyAnswers(ProxyMetrics metrics, SipProperties sip, ProxyProperties proxy) {
        return new ProxyAnswers(metrics, sip.serverName(), proxy.retryAfterSeconds());
    }

    @Bean
    ValidationSteps validationSteps(SipProperties sip, ProxyAnswers answers) {
        return new ValidationSteps(new LoopDetector(sip.advertisedHost(), sip.effectiveAdvertisedPort()), answers);
    }

    @Bean
    RoutingSteps routingSteps(RoutePreprocessor routes, InDialogRelayPolicy inDialogRelay, StatelessRelay relay,
            LocalDomains domains, ProxyAnswers answers, ProxyMetrics metrics, ProxyProperties proxy) {
        return new RoutingSteps(routes, inDialogRelay, relay, domains, answers, metrics, proxy.relayForeignDomains());
    }

    @Bean
    ForwardingSteps forwardingSteps(Forker forker, ProxyAuthenticator authenticator, TargetResolver resolver,
            LocalDomains domains, ProxyAnswers answers, ProxyProperties proxy) {
        return new ForwardingSteps(forker, authenticator, resolver, domains, answers, proxy.relayForeignDomains());
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
