package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import tools.jackson.databind.JsonNode;

class OperationsEndpointsTest extends ApiTestSupport {

    @Test
    void healthAndItsProbesArePublic() {
        var health = send(anonymous("/actuator/health").GET());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asString()).isEqualTo("UP");
        assertThat(send(anonymous("/actuator/health/liveness").GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void readinessIncludesTheLocationStore() {
        var readiness = send(anonymous("/actuator/health/readiness").GET());

        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode body = json(readiness);
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(body.get("components").get("locationStore").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusNeedsTheTokenAndShowsTheBindingsGaugeAndApiLatency() {
        AddressOfRecord aor = uniqueAor("metrics.test");
        bind(aor, ContactUpdate.of("sip:m@192.0.2.1", 600));
        assertThat(get("/api/v1/bindings/" + aor.user() + "@metrics.test").statusCode()).isEqualTo(200);

        assertProblem(send(anonymous("/actuator/prometheus").GET()), 401);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var scrape = get("/actuator/prometheus");
            assertThat(scrape.statusCode()).isEqualTo(200);
            String gauge = scrape.body().lines().filter(l -> l.startsWith("siplane_location_aors{")).findFirst().orElseThrow();
            assertThat(Double.parseDouble(gauge.substring(gauge.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(1.0);
            assertThat(scrape.body()).contains("http_server_requests_seconds_bucket{")
                    .contains("uri=\"/api/v1/bindings/{aor}\"");
        });
    }

    @Test
    void openApiDocumentIsPublicAndDescribesTheApi() {
        var docs = send(anonymous("/v3/api-docs").GET());

        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode api = json(docs);
        assertThat(api.get("paths").propertyNames()).contains("/api/v1/bindings", "/api/v1/bindings/{aor}",
                "/api/v1/subscribers", "/api/v1/subscribers/{id}");
        assertThat(api.get("components").get("securitySchemes").get("bearer").get("scheme").asString()).isEqualTo("bearer");
        assertThat(api.get("components").get("schemas").get("Subscriber").get("properties").propertyNames())
                .doesNotContain("password", "ha1Md5", "ha1Sha256");
    }

    @Test
    void swaggerUiIsPublic() {
        var redirect = send(anonymous("/swagger-ui.html").GET());
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(send(anonymous("/swagger-ui/index.html").GET()).statusCode()).isEqualTo(200);
    }
}
