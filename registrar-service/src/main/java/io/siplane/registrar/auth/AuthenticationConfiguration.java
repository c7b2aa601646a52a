package io.siplane.registrar.auth;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siplane.location.LocationStore;
import io.siplane.location.NonceCountStore;
import io.siplane.sip.digest.Ha1Source;
import io.siplane.sip.digest.SharedNonceCountStore;

/**
 * Digest authentication of REGISTER, on unless {@code registrar.authentication=false}: the {@link Ha1Source} bean
 * makes sip-commons configure a {@code DigestAuthenticator} (and require {@code SIP_NONCE_SECRET}); the
 * {@link SharedNonceCountStore} makes it check nonce-counts across replicas in Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "registrar", name = "authentication", havingValue = "true", matchIfMissing = true)
public class AuthenticationConfiguration {

    @Bean
    Ha1Source subscriberHa1Source(LocationStore store) {
        return new SubscriberHa1Source(store);
    }

    @Bean
    SharedNonceCountStore sharedNonceCounts(NonceCountStore counts) {
        return counts::accept;
    }
}
