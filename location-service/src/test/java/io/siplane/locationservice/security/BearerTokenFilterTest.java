package io.siplane.locationservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.siplane.locationservice.web.ProblemWriter;
import tools.jackson.databind.json.JsonMapper;

/** Which paths are public; the HTTP behaviour end to end is in BadInputTest. */
class BearerTokenFilterTest {

    private static final ApiToken TOKEN = ApiToken.of("0123456789abcdef-secret");
    private static final ProblemWriter PROBLEMS = new ProblemWriter(JsonMapper.shared());

    private static int status(boolean publicDocs, String method, String servletPath, String rawUri) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, rawUri);
        request.setServletPath(servletPath);
        MockHttpServletResponse response = new MockHttpServletResponse();
        new BearerTokenFilter(TOKEN, publicDocs, PROBLEMS).doFilter(request, response, new MockFilterChain());
        return response.getStatus();
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
