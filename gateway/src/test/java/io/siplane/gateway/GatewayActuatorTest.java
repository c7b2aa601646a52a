package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.testsupport.sip.SipPorts;

/**
 * The public HTTP port answers the REST API and a bare health status only; the actuator (metrics, prometheus,
 * health with details) is on the management port, bound to loopback.
 */
class GatewayActuatorTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static StandInReplica proxy;
    static StandInReplica registrar;
    static RunningGateway gateway;

    @BeforeAll
    static void start() {
        proxy = new StandInReplica("127.0.0.1", SipPorts.freeUdpAndTcpPort());
        registrar = new StandInReplica("127.0.0.1", SipPorts.freeUdpAndTcpPort());
        gateway = RunningGateway.start(null, "gateway.proxy.targets=127.0.0.1:" + proxy.port(),
                "gateway.registrar.targets=127.0.0.1:" + registrar.port());
        await().atMost(WAIT).until(() -> gateway.pool(PoolRole.PROXY).targets().stream().anyMatch(Target::acceptsNew)
                && gateway.pool(PoolRole.REGISTRAR).targets().stream().anyMatch(Target::acceptsNew));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        proxy.close();
        registrar.close();
    }

    static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePublicPortAnswersABareHealthStatusOnly() throws Exception {
        HttpResponse<String> health = get(gateway.httpPort(), "/healthz", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body().replace(" ", "")).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void thePublicPortServesNoActuatorEndpointWithOrWithoutTheToken() throws Exception {
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/readiness", "/actuator/health/sipTargets",
                "/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator/prometheus",
                "/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/heapdump", "/actuator/info")) {
            for (String token : new String[] {null, RunningGateway.TOKEN}) {
                HttpResponse<String> r = get(gateway.httpPort(), path, token);
                assertThat(r.statusCode()).as("%s %s", path, token == null ? "without token" : "with token").isIn(401, 404);
                assertThat(r.body()).as(path).doesNotContain("jvm_").doesNotContain("diskSpace").doesNotContain("\"components\"")
                        .doesNotContain("\"status\":\"UP\"");
            }
        }
    }

    @Test
    void theActuatorIsOnTheManagementPort() throws Exception {
        assertThat(gateway.managementPort()).isNotEqualTo(gateway.httpPort());
        HttpResponse<String> prometheus = get(gateway.managementPort(), "/actuator/prometheus", null);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("siplane_gateway_targets_in_rotation");
        assertThat(get(gateway.managementPort(), "/actuator/metrics/jvm.memory.used", null).statusCode()).isEqualTo(200);
        HttpResponse<String> readiness = get(gateway.managementPort(), "/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("sipTargets").contains(String.valueOf(proxy.port()));
        assertThat(get(gateway.managementPort(), "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theGatewayRefusesToServeTheActuatorOnThePublicPort() {
        int port = io.siplane.testsupport.RedisFixture.freePort();
        assertThatThrownBy(() -> RunningGateway.start(null, "server.port=" + port, "management.server.port=" + port))
                .hasStackTraceContaining("management.server.port");
    }

    @Test
    void thePackagedDefaultsPutTheActuatorOnLoopbackApartFromThePublicPort() throws Exception {
        var yml = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml")).get(0);
        assertThat(String.valueOf(yml.getProperty("management.server.address"))).isEqualTo("127.0.0.1");
        assertThat(yml.getProperty("management.server.port")).isNotNull()
                .isNotEqualTo(yml.getProperty("server.port"));
    }
}
