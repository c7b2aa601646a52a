package io.siplane.gateway.http;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.handler.ClientHttpRequestFactoryProxyExchange;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.context.annotation.Configuration;
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
                .onError(LocationApiRoutes::unreachable, (error, request) -> unavailable(properties, error, request))
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
                .onError(LocationApiRoutes::unreachable, (error, request) -> unavailable(properties, error, request))
                .build();
    }

    /**
     * The client the gateway proxies with: Apache HttpClient (classic, blocking on the Tomcat worker that serves the
     * request) over a pool of kept-alive connections to location-service. The JDK {@code HttpClient} it replaces ran
     * every exchange through its selector thread and back (two thread handoffs and a chain of futures per request),
     * which cost the route more CPU than location-service's own lookup. Short timeouts so that a dead
     * location-service is a fast 503; no retries (a 503 or 429 from location-service is passed on as it is), no
     * redirects, cookies or decompression: the bytes are relayed untouched.
     */
    @Bean
    ClientHttpRequestFactory gatewayHttpRequestFactory(HttpEdgeProperties properties, ObjectProvider<SslBundles> bundles) {
        ConnectionConfig connections = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                .setSocketTimeout(Timeout.of(properties.readTimeout()))
                // location-service closes a connection idle past its keep-alive timeout (tens of seconds): a connection idle
                // for more than 2 s is checked before it is reused, so a lookup never lands on a closed one
                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                .build();
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(connections)
                .setMaxConnTotal(properties.maxConnections())
                .setMaxConnPerRoute(properties.maxConnections());
        if (!properties.sslBundle().isBlank()) {
            // location-service over HTTPS with a certificate the JVM does not know (a private CA, a self-signed one)
            pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(bundles.getObject().getBundle(properties.sslBundle()).createSslContext()));
        }
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(pool.build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(properties.readTimeout()))
                        // every connection busy: wait for one no longer than for an answer
                        .setConnectionRequestTimeout(Timeout.of(properties.readTimeout()))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
        return new HttpComponentsClientHttpRequestFactory(client);
    }

    /**
     * The request factory used directly, without a {@code RestClient} around it (Spring Cloud Gateway's default
     * exchange builds a RestClient request, its URI and header maps, per proxied request).
     */
    @Bean
    ProxyExchange gatewayProxyExchange(ClientHttpRequestFactory gatewayHttpRequestFactory, GatewayMvcProperties gatewayProperties) {
        return new ClientHttpRequestFactoryProxyExchange(gatewayHttpRequestFactory, gatewayProperties);
    }

    /**
     * location-service refused, timed out or broke the connection: the exchange throws the client's
     * {@link IOException} wrapped in an {@link UncheckedIOException}.
     */
    private static boolean unreachable(Throwable error) {
        return error instanceof UncheckedIOException || error instanceof IOException;
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
