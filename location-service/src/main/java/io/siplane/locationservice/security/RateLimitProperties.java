package io.siplane.locationservice.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-client rate limit of the HTTP API ({@code siplane.api.rate-limit.*}): a token bucket per client address.
 *
 * @param enabled           off only for benchmarks
 * @param requestsPerSecond sustained rate per client address
 * @param burst             requests a client may send at once before the rate applies
 * @param trackedClients    client buckets kept (least recently used dropped beyond)
 */
@ConfigurationProperties("siplane.api.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("200") double requestsPerSecond,
        @DefaultValue("400") int burst,
        @DefaultValue("100000") long trackedClients) {

    public RateLimitProperties {
        if (requestsPerSecond <= 0 || burst < 1 || trackedClients < 1) {
            throw new IllegalArgumentException("siplane.api.rate-limit: requests-per-second, burst and tracked-clients must be positive");
        }
    }
}
