package io.siplane.gateway.http;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP edge (prefix {@code gateway.http}): {@code /api/v1/**} is proxied to location-service.
 *
 * @param locationUrl    location-service base URL ({@code LOCATION_URL})
 * @param apiToken       bearer token required here and passed on ({@code PLATFORM_API_TOKEN})
 * @param connectTimeout how long to wait for a connection to location-service before answering 503
 * @param readTimeout    how long to wait for its answer before answering 503
 * @param retryAfter     Retry-After of those 503s
 * @param rateLimit      per-client rate limit of the API
 * @param maxConnections kept-alive connections to location-service at most (one per request in flight; a request
 *                       finding all busy waits up to {@code readTimeout} for one)
 * @param sslBundle      Spring SSL bundle ({@code spring.ssl.bundle.*}) whose trust store verifies location-service's
 *                       certificate when {@code locationUrl} is {@code https}; empty: the JVM's trust store
 */
@Validated
@ConfigurationProperties("gateway.http")
public record HttpEdgeProperties(
        @NotNull URI locationUrl,
        @NotBlank(message = "PLATFORM_API_TOKEN (gateway.http.api-token) must be set: the REST API accepts no anonymous requests")
        String apiToken,
        @DefaultValue("500ms") @NotNull Duration connectTimeout,
        @DefaultValue("5s") @NotNull Duration readTimeout,
        @DefaultValue("1s") @NotNull Duration retryAfter,
        @DefaultValue @NotNull RateLimit rateLimit,
        @DefaultValue("200") @Positive int maxConnections,
        @DefaultValue("") String sslBundle) {

    /**
     * A token bucket per client address ({@code gateway.http.rate-limit.*}).
     *
     * @param enabled           off only for benchmarks
     * @param requestsPerSecond sustained rate per client address
     * @param burst             requests a client may send at once
     * @param trackedClients    client buckets kept (least recently used dropped beyond)
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("50") @Positive double requestsPerSecond,
            @DefaultValue("100") @Positive int burst,
            @DefaultValue("100000") @Positive long trackedClients) {
    }
}
