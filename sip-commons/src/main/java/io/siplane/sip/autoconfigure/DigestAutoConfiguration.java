package io.siplane.sip.autoconfigure;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.siplane.sip.digest.DigestAuthenticator;
import io.siplane.sip.digest.DigestProperties;
import io.siplane.sip.digest.Ha1Source;
import io.siplane.sip.digest.NonceCounts;
import io.siplane.sip.digest.SharedNonceCountStore;
import io.siplane.sip.digest.SharedNonceCounts;

/**
 * A {@link DigestAuthenticator} for applications that provide an {@link Ha1Source} (the registrar, the proxy).
 * Its {@code sip.digest.*} properties are bound and validated only then, so a service without authentication
 * needs no nonce secret. With a {@link SharedNonceCountStore} bean as well, nonce-counts are checked across replicas.
 */
@AutoConfiguration
@ConditionalOnBean(Ha1Source.class)
@EnableConfigurationProperties(DigestProperties.class)
public class DigestAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DigestAutoConfiguration.class);
    private static final Duration SHARED_COUNT_MARGIN = Duration.ofMinutes(1);

    @Bean
    @ConditionalOnMissingBean
    public DigestAuthenticator digestAuthenticator(DigestProperties properties, Ha1Source ha1Source, ObjectProvider<Clock> clock,
            ObjectProvider<SharedNonceCountStore> sharedNonceCounts) {
        byte[] secret;
        if (properties.nonceSecret().isEmpty()) {
            log.warn("sip.digest.insecure-dev-secret is on: nonces use a random per-process secret; other replicas cannot "
                    + "verify them. Set SIP_NONCE_SECRET for anything but a single development instance.");
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        } else {
            secret = DigestAuthenticator.secretBytes(properties.nonceSecret());
        }
        return new DigestAuthenticator(properties, secret, ha1Source, nonceCounts(properties, sharedNonceCounts.getIfAvailable()),
                clock.getIfAvailable(Clock::systemUTC));
    }

    private static NonceCounts nonceCounts(DigestProperties properties, SharedNonceCountStore shared) {
        if (shared == null) {
            log.info("Nonce-counts are checked per replica (no shared store)");
            return DigestAuthenticator.localNonceCounts(properties);
        }
        // a nonce from up to HmacNonces' clock skew in the future is still good: keep its count beyond its lifetime
        return new SharedNonceCounts(DigestAuthenticator.localNonceCounts(properties), shared,
                properties.nonceLifetime().plus(SHARED_COUNT_MARGIN));
    }
}
