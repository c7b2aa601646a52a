package io.siplane.locationservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.guard.ApiToken;
import io.siplane.guard.ProblemWriter;
import io.siplane.locationservice.ApiProperties;
import tools.jackson.databind.json.JsonMapper;

/** The wiring of the shared guards; their behaviour over HTTP is in AnonymousAccessTest and BadInputTest. */
class ApiSecurityConfigurationTest {

    @Test
    void theRateLimitRunsBeforeTheTokenCheckSoGuessingTokensIsLimitedToo() {
        ApiSecurityConfiguration configuration = new ApiSecurityConfiguration();
        ProblemWriter problems = new ProblemWriter(JsonMapper.shared());
        int limit = configuration.rateLimitFilter(new RateLimitProperties(true, 200, 400, 1000), problems, new SimpleMeterRegistry())
                .getOrder();
        int token = configuration.bearerTokenFilter(ApiToken.of("0123456789abcdef-secret"),
                new ApiProperties("0123456789abcdef-secret", true, DataSize.ofKilobytes(64), Duration.ofSeconds(1), 100), problems)
                .getOrder();
        assertThat(limit).isLessThan(token);
    }
}
