package io.siplane.gateway.http;

import jakarta.servlet.Filter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.guard.ApiToken;
import io.siplane.guard.BearerTokenFilter;
import io.siplane.guard.ClientRateLimiter;
import io.siplane.guard.ProblemWriter;
import io.siplane.guard.RateLimitFilter;
import io.siplane.guard.RoutePaths;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may reach location-service through the gateway, with the shared client-guard filters (location-service checks
 * the same token again: the header is passed on). First the per-client rate limit on the API and its documentation
 * ({@code gateway.http.rate-limit.*}; location-service sees every request as coming from the gateway, so this is where
 * each client is told apart), then the bearer token on the API ({@code PLATFORM_API_TOKEN}). The documentation's
 * token is location-service's choice ({@code siplane.api.public-docs}). Each filter guards exactly its route's paths
 * ({@link LocationApiRoutes}).
 */
@Configuration(proxyBeanMethods = false)
class ApiAdmission {

    static final String[] API = {"/api/v1/**"};
    static final String[] API_AND_DOCS = {"/api/v1/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"};

    /** Right after Boot's encoding and observation filters, before anything reads the request. */
    private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    ProblemWriter problemWriter(JsonMapper json) {
        return new ProblemWriter(json);
    }

    /** Before the token check: a client guessing tokens is limited like any other. */
    @Bean
    @ConditionalOnProperty(prefix = "gateway.http.rate-limit", name = "enabled", havingValue = "true", matchIfMissing = true)
    FilterRegistrationBean<RateLimitFilter> apiRateLimitFilter(HttpEdgeProperties properties, ProblemWriter problems,
            MeterRegistry meters) {
        HttpEdgeProperties.RateLimit limits = properties.rateLimit();
        ClientRateLimiter limiter = new ClientRateLimiter(limits.requestsPerSecond(), limits.burst(), limits.trackedClients(),
                System::nanoTime);
        Counter limited = Counter.builder("siplane.gateway.http.rate.limited")
                .description("REST requests answered 429 because their client exceeded its rate").register(meters);
        return registered(new RateLimitFilter(limiter, RoutePaths.of(API_AND_DOCS).negate(), problems, limited), ORDER - 1);
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> apiTokenFilter(HttpEdgeProperties properties, ProblemWriter problems) {
        return registered(new BearerTokenFilter(ApiToken.of(properties.apiToken()), RoutePaths.of(API).negate(), problems), ORDER);
    }

    private static <F extends Filter> FilterRegistrationBean<F> registered(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
