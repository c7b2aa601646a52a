package io.siplane.gateway.http;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code /api/v1/**} → location-service through Spring Cloud Gateway (server-webmvc), behind the per-client rate limit
 * (429) and the token, required here and passed on ({@link ApiAdmission}); location-service unreachable or silent →
 * 503 problem+json within the connect/read timeouts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpEdgeProperties.class)
class LocationApiRoutes {

    private static final Logger log = LoggerFactory.getLogger(LocationApiRoutes.class);
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
    private static final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    @Bean
    RouterFunction<ServerResponse> locationApi(HttpEdgeProperties properties) {
        return route("location-api")
                .route(RequestPredicates.path("/api/v1/**"), http())
                .before(uri(properties.locationUrl()))
                .onError(ResourceAccessException.class::isInstance, (error, request) -> unavailable(properties, error, request))
                .build();
    }

    /**
     * The REST API's documentation ({@code /v3/api-docs}, swagger-ui) is served by location-service, the same paths
     * through the gateway: rate limited like the API; whether it needs the token is location-service's choice
     * ({@code siplane.api.public-docs}), the Authorization header passes through.
     */
    @Bean
    RouterFunction<ServerResponse> locationApiDocs(HttpEdgeProperties properties) {
        return route("location-api-docs")
                .route(RequestPredicates.path("/v3/api-docs").or(RequestPredicates.path("/v3/api-docs/**"))
                        .or(RequestPredicates.path("/swagger-ui.html")).or(RequestPredicates.path("/swagger-ui/**")), http())
                .before(uri(properties.locationUrl()))
                .onError(ResourceAccessException.class::isInstance, (error, request) -> unavailable(properties, error, request))
                .build();
    }

    /** The client the gateway proxies with: short timeouts so that a dead location-service is a fast 503. */
    @Bean
    ClientHttpRequestFactory gatewayHttpRequestFactory(HttpEdgeProperties properties, ObjectProvider<SslBundles> bundles) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!properties.sslBundle().isBlank()) {
            // location-service over HTTPS with a certificate the JVM does not know (a private CA, a self-signed one)
            builder.sslContext(bundles.getObject().getBundle(properties.sslBundle()).createSslContext());
        }
        HttpClient client = builder.build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(properties.readTimeout());
        return factory;
    }

    private static ServerResponse unavailable(HttpEdgeProperties properties, Throwable error, ServerRequest request) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("location-service at {} unavailable: {} (answering 503; logged at most every 10 s)",
                    properties.locationUrl(), error.getMessage());
        }
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", "the location service is unavailable",
                request.path(), b -> b.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, properties.retryAfter().toSeconds()))));
    }
}
