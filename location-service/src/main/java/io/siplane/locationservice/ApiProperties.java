package io.siplane.locationservice;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The REST API's settings ({@code siplane.api.*}).
 *
 * @param token          the bearer token every request except health (and docs, if public) must carry
 * @param publicDocs     whether {@code /v3/api-docs} and swagger-ui are readable without the token
 * @param maxBodySize    larger request bodies are refused with 413
 * @param retryAfter     what a 503 tells clients to wait when the store is unavailable
 * @param defaultPageSize page size of the bindings listing when the request gives none
 */
@ConfigurationProperties("siplane.api")
public record ApiProperties(
        String token,
        @DefaultValue("true") boolean publicDocs,
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue("1s") Duration retryAfter,
        @DefaultValue("100") int defaultPageSize) {

    public static final int MAX_PAGE_SIZE = 1000;

    public ApiProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("siplane.api.max-body-size must be positive");
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("siplane.api.retry-after must not be negative");
        }
        if (defaultPageSize < 1 || defaultPageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("siplane.api.default-page-size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    @Override
    public String toString() {
        return "ApiProperties[token=(redacted), publicDocs=" + publicDocs + ", maxBodySize=" + maxBodySize
                + ", retryAfter=" + retryAfter + ", defaultPageSize=" + defaultPageSize + "]";
    }
}
