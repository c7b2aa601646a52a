package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.TestUserAgent;

/** Health groups and Prometheus metrics over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsEndpointsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private RunningRegistrar registrar;

    @BeforeAll
    void start() {
        registrar = RunningRegistrar.start();
    }

    @AfterAll
    void stop() {
        registrar.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registrar.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessIncludesRedisAndTheSipStackAndLivenessIsUp() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        HttpResponse<String> liveness = get("/actuator/health/liveness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"").contains("\"redis\"").contains("\"sip\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusExposesRegisterOutcomesByStatusLatencyHistogramAndAuthFailures() throws Exception {
        registrar.subscriber("metrics-user", "pw");
        try (TestUserAgent ua = TestUserAgent.onAddress("udp", "127.0.0.31").sendingTo(registrar.sipPort())) {
            ua.register("metrics-user", RunningRegistrar.DOMAIN).send(Credentials.md5("metrics-user", "pw"));
            ua.register("metrics-user", RunningRegistrar.DOMAIN).send(Credentials.md5("metrics-user", "wrong"));
        }

        String metrics = get("/actuator/prometheus").body();

        assertThat(metrics).contains("siplane_registrar_responses_total{status=\"200\"}")
                .contains("siplane_registrar_responses_total{status=\"401\"}")
                .contains("siplane_registrar_requests_seconds_count{status=\"200\"}")
                .contains("siplane_registrar_requests_seconds_count{status=\"401\"}")
                .contains("siplane_registrar_requests_seconds_bucket{status=\"200\",le=")
                .contains("siplane_registrar_auth_failures_total{reason=\"bad_credentials\"}");
    }
}
