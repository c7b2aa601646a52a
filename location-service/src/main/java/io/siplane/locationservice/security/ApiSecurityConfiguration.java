package io.siplane.locationservice.security;

import java.util.List;

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
import io.siplane.guard.PublicReads;
import io.siplane.guard.RateLimitFilter;
import io.siplane.locationservice.ApiProperties;

/**
 * The API's admission, from the shared client-guard module: every client address rate limited, then every request
 * except the public reads (health probes; the documentation when {@code siplane.api.public-docs}) needs the token.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    /** Runs right after Boot's encoding and observation filters, before anything reads the request. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final List<String> HEALTH = List.of("/actuator/health");
    private static final List<String> HEALTH_AND_DOCS = List.of("/actuator/health", "/v3/api-docs", "/swagger-ui.html", "/swagger-ui");

    @Bean
    ApiToken apiToken(ApiProperties properties) {
        return ApiToken.of(properties.token());
    }

    /** Before the token check: a client guessing tokens is limited like any other. */
    @Bean
    @ConditionalOnProperty(prefix = "siplane.api.rate-limit", name = "enabled", havingValue = "true", matchIfMissing = true)
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimitProperties limits, ProblemWriter problems, MeterRegistry meters) {
        ClientRateLimiter limiter = new ClientRateLimiter(limits.requestsPerSecond(), limits.burst(), limits.trackedClients(),
                System::nanoTime);
        Counter limited = Counter.builder("siplane.api.rate.limited")
                .description("HTTP requests answered 429 because their client exceeded its rate").register(meters);
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limiter, request -> false, problems, limited));
        registration.setOrder(ORDER - 1);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(ApiToken token, ApiProperties properties, ProblemWriter problems) {
        PublicReads open = PublicReads.of(properties.publicDocs() ? HEALTH_AND_DOCS : HEALTH);
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(token, open, problems));
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
