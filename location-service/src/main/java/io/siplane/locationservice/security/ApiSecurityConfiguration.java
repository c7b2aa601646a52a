package io.siplane.locationservice.security;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

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

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(ApiToken token, ApiProperties properties, ProblemWriter problems) {
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(token, properties.publicDocs(), problems));
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
