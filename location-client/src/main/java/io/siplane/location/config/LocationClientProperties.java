package io.siplane.location.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.siplane.location.ContactLimitPolicy;

/**
 * {@code siplane.location.*}: limits of the store and the near-cache.
 *
 * @param maxContactsPerAor  most bindings one AOR may hold (0 = no limit)
 * @param contactLimitPolicy what a REGISTER over the limit does: DROP_OLDEST or REJECT
 * @param cache              near-cache settings
 * @param commandTimeout     Redis command timeout when {@code spring.data.redis.timeout} is not set
 * @param connectTimeout     Redis connect timeout when {@code spring.data.redis.connect-timeout} is not set
 */
@ConfigurationProperties("siplane.location")
public record LocationClientProperties(
        @DefaultValue("10") int maxContactsPerAor,
        @DefaultValue("DROP_OLDEST") ContactLimitPolicy contactLimitPolicy,
        @DefaultValue Cache cache,
        @DefaultValue("500ms") Duration commandTimeout,
        @DefaultValue("1s") Duration connectTimeout) {

    public LocationClientProperties {
        if (maxContactsPerAor < 0) {
            throw new IllegalArgumentException("siplane.location.max-contacts-per-aor must be >= 0");
        }
    }

    /**
     * @param freshFor     how long a cached lookup is served without asking Redis (change events evict sooner)
     * @param staleIfError how long a cached lookup may still be served while Redis cannot answer
     * @param maxSize      most AORs kept in memory
     */
    public record Cache(
            @DefaultValue("5s") Duration freshFor,
            @DefaultValue("60s") Duration staleIfError,
            @DefaultValue("100000") long maxSize) {

        public Cache {
            if (staleIfError.compareTo(freshFor) < 0) {
                throw new IllegalArgumentException("siplane.location.cache.stale-if-error must be >= fresh-for");
            }
        }
    }
}
