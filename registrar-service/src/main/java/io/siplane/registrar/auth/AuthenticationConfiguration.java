package io.siplane.registrar.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.siplane.location.LocationStore;
import io.siplane.location.NonceCountStore;
import io.siplane.location.Subscriber;
import io.siplane.location.cache.CachedSubscribers;
import io.siplane.sip.digest.Ha1Hashes;
import io.siplane.sip.digest.Ha1Source;
import io.siplane.sip.digest.SharedNonceCountStore;

/**
 * Digest authentication of REGISTER, on unless {@code registrar.authentication=false}: the {@link Ha1Source} bean
 * makes sip-commons configure a {@code DigestAuthenticator} (and require {@code SIP_NONCE_SECRET}); the
 * {@link SharedNonceCountStore} makes it check nonce-counts across replicas in Redis. Both are asked asynchronously
 * on the request path.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "registrar", name = "authentication", havingValue = "true", matchIfMissing = true)
public class AuthenticationConfiguration {

    /** More users than this registering within one nonce lifetime are read from Redis again. */
    private static final long MAX_CACHED_SUBSCRIBERS = 100_000;

    /**
     * The subscribers' HA1, kept for a nonce's lifetime: the 401 starts reading it, the credentialed retry finds it
     * (location-client's cache, the one the proxy uses; evicted by {@code loc:events}).
     */
    @Bean
    CachedSubscribers cachedSubscribers(LocationStore store, Environment env) {
        Duration ttl = env.getProperty("sip.digest.nonce-lifetime", Duration.class, Duration.ofMinutes(5));
        return new CachedSubscribers(store, ttl, MAX_CACHED_SUBSCRIBERS);
    }

    /** HA1 by digest username and realm (= the subscriber's domain); an outage passes through as 500 + Retry-After. */
    @Bean
    Ha1Source subscriberHa1Source(CachedSubscribers subscribers) {
        return ha1Source(subscribers);
    }

    /** The {@link Ha1Source} over location-client's subscribers, asynchronous on the request path. */
    public static Ha1Source ha1Source(CachedSubscribers subscribers) {
        return new Ha1Source() {
            @Override
            public Optional<Ha1Hashes> find(String username, String realm) {
                return subscribers.find(username, realm).map(AuthenticationConfiguration::ha1);
            }

            @Override
            public CompletionStage<Optional<Ha1Hashes>> findAsync(String username, String realm) {
                return subscribers.findAsync(username, realm).thenApply(s -> s.map(AuthenticationConfiguration::ha1));
            }
        };
    }

    private static Ha1Hashes ha1(Subscriber s) {
        return new Ha1Hashes(s.ha1Md5(), s.ha1Sha256());
    }

    @Bean
    SharedNonceCountStore sharedNonceCounts(NonceCountStore counts) {
        return sharedNonceCountStore(counts);
    }

    /** sip-commons' view of location-client's shared nonce-counts, asynchronous on the request path. */
    public static SharedNonceCountStore sharedNonceCountStore(NonceCountStore counts) {
        return new SharedNonceCountStore() {
            @Override
            public boolean accept(String nonce, long nc, String requestKey, Duration keepFor) {
                return counts.accept(nonce, nc, requestKey, keepFor);
            }

            @Override
            public CompletionStage<Boolean> acceptAsync(String nonce, long nc, String requestKey, Duration keepFor) {
                return counts.acceptAsync(nonce, nc, requestKey, keepFor);
            }
        };
    }
}
