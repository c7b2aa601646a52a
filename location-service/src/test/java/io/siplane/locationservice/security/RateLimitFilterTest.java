package io.siplane.locationservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.locationservice.ApiProperties;
import io.siplane.locationservice.web.ProblemWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-client rate limit (burst 5, then one request per 2 s here): a client beyond it gets 429 problem+json with
 * Retry-After, another client is served, the first is served again once Retry-After has passed; and the filter runs
 * before the token check, so guessing tokens is limited too.
 */
class RateLimitFilterTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Counter limited = meters.counter("siplane.api.rate.limited");
    private final RateLimitFilter filter = new RateLimitFilter(new ClientRateLimiter(0.5, 5, 1000, now::get),
            new ProblemWriter(JsonMapper.shared()), limited);

    private MockHttpServletResponse call(String client) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/bindings/a@example.com");
        request.setRemoteAddr(client);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void aClientBeyondItsBucketGets429WithRetryAfterWhileAnotherClientIsServed() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(call("192.0.2.1").getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse refused = call("192.0.2.1");
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(refused.getContentAsString()).contains("\"status\":429");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
        assertThat(limited.count()).isEqualTo(1);

        assertThat(call("192.0.2.2").getStatus()).as("another client").isEqualTo(200);

        now.addAndGet(2_000_000_000L);
        assertThat(call("192.0.2.1").getStatus()).as("after Retry-After").isEqualTo(200);
        assertThat(call("192.0.2.1").getStatus()).isEqualTo(429);
    }

    @Test
    void theLimitRunsBeforeTheTokenCheck() {
        ApiSecurityConfiguration configuration = new ApiSecurityConfiguration();
        ProblemWriter problems = new ProblemWriter(JsonMapper.shared());
        int limit = configuration.rateLimitFilter(new RateLimitProperties(true, 200, 400, 1000), problems, meters).getOrder();
        int token = configuration.bearerTokenFilter(ApiToken.of("0123456789abcdef-secret"),
                new ApiProperties("0123456789abcdef-secret", true, org.springframework.util.unit.DataSize.ofKilobytes(64),
                        java.time.Duration.ofSeconds(1), 100), problems).getOrder();
        assertThat(limit).isLessThan(token);
    }
}
