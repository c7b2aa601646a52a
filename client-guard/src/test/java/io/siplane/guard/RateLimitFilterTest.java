package io.siplane.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-client rate limit (burst 5, then one request per 2 s here): a client beyond it gets 429 problem+json with
 * Retry-After, another client is served, the first is served again once Retry-After has passed. That it runs before the
 * token check is each service's wiring, tested there.
 */
class RateLimitFilterTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Counter limited = meters.counter("siplane.api.rate.limited");
    private final RateLimitFilter filter = new RateLimitFilter(new ClientRateLimiter(0.5, 5, 1000, now::get),
            r -> r.getRequestURI().startsWith("/healthz"), new ProblemWriter(JsonMapper.shared()), limited);

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
    void requestsOutsideItsScopeAreNotCounted() throws Exception {
        for (int i = 0; i < 20; i++) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/healthz");
            request.setRemoteAddr("192.0.2.3");
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(request, response, new MockFilterChain());
            assertThat(response.getStatus()).isEqualTo(200);
        }
        assertThat(call("192.0.2.3").getStatus()).as("its bucket is still full").isEqualTo(200);
        assertThat(limited.count()).isZero();
    }
}
