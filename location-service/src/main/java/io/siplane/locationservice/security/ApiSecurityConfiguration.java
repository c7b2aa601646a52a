package io.siplane.locationservice.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.locationservice.ApiProperties;
import io.siplane.locationservice.web.ProblemWriter;

@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    /** Runs right after Boot's encoding and observation filters, before anything reads the request. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

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
                new FilterRegistrationBean<>(new RateLimitFilter(limiter, problems, limited));
        registration.setOrder(ORDER - 1);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(ApiToken token, ApiProperties properties, ProblemWriter problems) {
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(token, properties.publicDocs(), problems));
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
