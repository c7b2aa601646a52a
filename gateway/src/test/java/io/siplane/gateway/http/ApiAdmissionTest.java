package io.siplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import jakarta.servlet.Filter;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.guard.InvalidApiTokenException;
import io.siplane.guard.ProblemWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wiring of the shared guards at the edge: the rate limit before the token, the token on the API only, the rate
 * limit on the API and its documentation only. Over real HTTP: EdgeSecurityTest, PlatformThroughGatewayTest.
 */
class ApiAdmissionTest {

    private final ApiAdmission admission = new ApiAdmission();
    private final ProblemWriter problems = new ProblemWriter(JsonMapper.shared());
    private final HttpEdgeProperties properties = new HttpEdgeProperties(URI.create("http://127.0.0.1:1"),
            "gateway-test-token-0123456789", Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(1),
            new HttpEdgeProperties.RateLimit(true, 1, 1, 100), 200, "");

    private static int status(Filter filter, String method, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRemoteAddr("192.0.2.7");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    @Test
    void theRateLimitRunsBeforeTheTokenCheck() {
        assertThat(admission.apiRateLimitFilter(properties, problems, new SimpleMeterRegistry()).getOrder())
                .isLessThan(admission.apiTokenFilter(properties, problems).getOrder());
    }

    @Test
    void aShortTokenStopsTheGatewayAsItStopsLocationService() {
        HttpEdgeProperties weak = new HttpEdgeProperties(properties.locationUrl(), "short-token", properties.connectTimeout(),
                properties.readTimeout(), properties.retryAfter(), properties.rateLimit(), properties.maxConnections(), "");
        assertThatThrownBy(() -> admission.apiTokenFilter(weak, problems)).isInstanceOf(InvalidApiTokenException.class)
                .hasMessageContaining("shorter than 16");
    }

    @Test
    void theTokenIsRequiredOnTheApiAndNowhereElse() throws Exception {
        Filter token = admission.apiTokenFilter(properties, problems).getFilter();
        assertThat(status(token, "GET", "/api/v1/bindings/alice@example.com")).isEqualTo(401);
        assertThat(status(token, "POST", "/api/v1/subscribers")).isEqualTo(401);
        assertThat(status(token, "GET", "/v3/api-docs")).as("location-service decides for its docs").isEqualTo(200);
        assertThat(status(token, "GET", "/healthz")).isEqualTo(200);
    }

    @Test
    void theRateLimitCoversTheApiAndItsDocumentationOnly() throws Exception {
        Filter limit = admission.apiRateLimitFilter(properties, problems, new SimpleMeterRegistry()).getFilter();
        assertThat(status(limit, "GET", "/healthz")).isEqualTo(200);
        assertThat(status(limit, "GET", "/healthz")).as("not counted").isEqualTo(200);
        assertThat(status(limit, "GET", "/api/v1/bindings/alice@example.com")).isEqualTo(200);
        assertThat(status(limit, "GET", "/v3/api-docs")).as("burst 1 used up").isEqualTo(429);
        assertThat(status(limit, "GET", "/swagger-ui/index.html")).isEqualTo(429);
    }
}
