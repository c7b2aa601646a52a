package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.siplane.location.AddressOfRecord;

/**
 * No anonymous access: every method of every {@code /api/v1} endpoint the application maps (read from Spring MVC, so
 * a new endpoint is covered without editing this test), plus the metrics, answers 401 problem+json without the
 * token or with a wrong one, and changes nothing.
 */
class AnonymousAccessTest extends ApiTestSupport {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Endpoint(String method, String path) {
    }

    List<Endpoint> apiEndpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/v1")) {
                    continue;
                }
                String path = pattern.replace("{aor}", "anon-test@example.com").replace("{id}", "anon-test@example.com");
                info.getMethodsCondition().getMethods().forEach(m -> out.add(new Endpoint(m.name(), path)));
            }
        }
        return out;
    }

    private HttpRequest.Builder call(Endpoint e, String authorization) {
        HttpRequest.Builder b = anonymous(e.path()).header("Content-Type", "application/json")
                .method(e.method(), HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"anon-test\",\"domain\":\"example.com\",\"password\":\"secret-password\"}"));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    @Test
    void everyApiEndpointAndMethodRefusesAMissingOrWrongToken() {
        List<Endpoint> endpoints = apiEndpoints();
        assertThat(endpoints).extracting(Endpoint::method).contains("GET", "POST", "DELETE");
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(6);
        List<String> wrong = java.util.Arrays.asList(null, "Bearer", "Bearer ", "Bearer wrong-token-0123456789",
                "bearer " + TOKEN.substring(1), "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1),
                "Basic " + java.util.Base64.getEncoder().encodeToString(("x:" + TOKEN).getBytes()), TOKEN);
        for (Endpoint e : endpoints) {
            for (String authorization : wrong) {
                var response = send(call(e, authorization));
                assertProblem(response, 401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).as("%s %s", e.method(), e.path())
                        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            }
        }
        assertThat(store.findSubscriber(AddressOfRecord.parse("sip:anon-test@example.com"))).isEmpty();
    }

    @Test
    void unmappedApiPathsAndTheMetricsAreNotAnsweredWithoutTheTokenEither() {
        for (String method : List.of("GET", "PUT", "PATCH", "POST", "DELETE", "OPTIONS")) {
            for (String path : List.of("/api/v1/nothing-here", "/api/v1/bindings/a@example.com/x", "/api/v2/bindings",
                    "/actuator/prometheus", "/actuator/env", "/actuator/metrics")) {
                assertProblem(send(call(new Endpoint(method, path), null)), 401);
            }
        }
    }
}
