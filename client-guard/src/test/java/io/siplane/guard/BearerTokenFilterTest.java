package io.siplane.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

/**
 * Which requests need the token and what a refused one is told; the HTTP behaviour end to end is in location-service's
 * BadInputTest and AnonymousAccessTest and the gateway's EdgeSecurityTest.
 */
class BearerTokenFilterTest {

    private static final ApiToken TOKEN = ApiToken.of("0123456789abcdef-secret");
    private static final ProblemWriter PROBLEMS = new ProblemWriter(JsonMapper.shared());

    private static final List<String> HEALTH = List.of("/actuator/health");
    private static final List<String> HEALTH_AND_DOCS = List.of("/actuator/health", "/v3/api-docs", "/swagger-ui.html", "/swagger-ui");

    private static int status(boolean publicDocs, String method, String servletPath, String rawUri) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, rawUri);
        request.setServletPath(servletPath);
        return filter(new BearerTokenFilter(TOKEN, PublicReads.of(publicDocs ? HEALTH_AND_DOCS : HEALTH), PROBLEMS), request)
                .getStatus();
    }

    private static MockHttpServletResponse filter(BearerTokenFilter filter, MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    private static MockHttpServletResponse apiCall(String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("DELETE", "/api/v1/bindings/a@example.com");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return filter(new BearerTokenFilter(TOKEN, r -> false, PROBLEMS), request);
    }

    @Test
    void onlyTheExactBearerTokenPassesAndARefusalIsA401ProblemWithABearerChallenge() throws Exception {
        assertThat(apiCall("Bearer 0123456789abcdef-secret").getStatus()).isEqualTo(200);
        assertThat(apiCall("bearer  0123456789abcdef-secret ").getStatus()).as("scheme is case-insensitive").isEqualTo(200);

        MockHttpServletResponse none = apiCall(null);
        assertThat(none.getStatus()).isEqualTo(401);
        assertThat(none.getContentType()).startsWith("application/problem+json");
        assertThat(none.getContentAsString()).contains("\"status\":401").contains("\"instance\":\"/api/v1/bindings/a@example.com\"");
        assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"siplane\"");

        MockHttpServletResponse wrong = apiCall("Bearer 0123456789abcdef-secreT");
        assertThat(wrong.getStatus()).isEqualTo(401);
        assertThat(wrong.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"siplane\", error=\"invalid_token\"");
        assertThat(apiCall("Basic 0123456789abcdef-secret").getStatus()).isEqualTo(401);
        assertThat(apiCall("0123456789abcdef-secret").getStatus()).isEqualTo(401);
    }

    @Test
    void aRouteGuardedByItsOwnPatternsNeedsTheTokenAndNothingElseDoes() throws Exception {
        BearerTokenFilter apiOnly = new BearerTokenFilter(TOKEN, RoutePaths.of("/api/v1/**").negate(), PROBLEMS);
        assertThat(filter(apiOnly, new MockHttpServletRequest("GET", "/api/v1/bindings/a@b")).getStatus()).isEqualTo(401);
        assertThat(filter(apiOnly, new MockHttpServletRequest("POST", "/api/v1")).getStatus()).isEqualTo(401);
        assertThat(filter(apiOnly, new MockHttpServletRequest("GET", "/api/v1;x=1/subscribers")).getStatus())
                .as("a path parameter does not take a request out of the route").isEqualTo(401);
        assertThat(filter(apiOnly, new MockHttpServletRequest("GET", "/v3/api-docs")).getStatus()).isEqualTo(200);
        assertThat(filter(apiOnly, new MockHttpServletRequest("GET", "/healthz")).getStatus()).isEqualTo(200);
    }

    @Test
    void healthIsPublicForReads() throws Exception {
        assertThat(status(false, "GET", "/actuator/health", "/actuator/health")).isEqualTo(200);
        assertThat(status(false, "GET", "/actuator/health/readiness", "/actuator/health/readiness")).isEqualTo(200);
        assertThat(status(false, "HEAD", "/actuator/health/liveness", "/actuator/health/liveness")).isEqualTo(200);
        assertThat(status(false, "POST", "/actuator/health", "/actuator/health")).isEqualTo(401);
        assertThat(status(false, "GET", "/actuator/healthz", "/actuator/healthz")).isEqualTo(401);
    }

    @Test
    void documentationIsPublicOnlyWhenConfiguredSo() throws Exception {
        assertThat(status(true, "GET", "/v3/api-docs", "/v3/api-docs")).isEqualTo(200);
        assertThat(status(true, "GET", "/swagger-ui/index.html", "/swagger-ui/index.html")).isEqualTo(200);
        assertThat(status(false, "GET", "/v3/api-docs", "/v3/api-docs")).isEqualTo(401);
        assertThat(status(false, "GET", "/swagger-ui.html", "/swagger-ui.html")).isEqualTo(401);
    }

    @Test
    void aPublicPrefixCannotBeSmuggledThroughDotSegmentsOrPathParameters() throws Exception {
        // the container normalised the path to a public one, but the raw URI names another
        assertThat(status(true, "GET", "/actuator/health", "/api/v1/bindings/x/..;/..;/..;/..;/actuator/health")).isEqualTo(401);
        // the raw URI starts public, but the normalised path is not
        assertThat(status(true, "GET", "/actuator/prometheus", "/actuator/health/../prometheus")).isEqualTo(401);
        assertThat(status(true, "GET", "/api/v1/bindings/a@b", "/v3/api-docs/../../api/v1/bindings/a@b")).isEqualTo(401);
    }
}
