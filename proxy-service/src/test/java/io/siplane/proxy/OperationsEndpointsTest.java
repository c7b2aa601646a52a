package io.siplane.proxy;

import static io.siplane.proxy.Agents.establish;
import static io.siplane.proxy.Agents.hangUp;
import static io.siplane.proxy.Agents.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.sip.message.Request;

import org.junit.jupiter.api.Test;

import io.siplane.testsupport.sip.TestUserAgent;

/** Health groups and Prometheus metrics of a proxy replica over real HTTP. */
class OperationsEndpointsTest {

    private final ProxyPlatform platform = ProxyPlatform.get();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(RunningProxy proxy, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessIncludesRedisAndTheSipStackAndLivenessIsUp() throws Exception {
        HttpResponse<String> readiness = get(platform.replicaB, "/actuator/health/readiness");
        HttpResponse<String> liveness = get(platform.replicaB, "/actuator/health/liveness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"").contains("\"redis\"").contains("\"sip\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusExposesRequestsByStatusForksBranchOutcomesAndSessionSetupLatency() throws Exception {
        String alice = platform.newSubscriber("alice");
        String bob = platform.newSubscriber("bob");
        RunningProxy proxy = platform.replicaB;
        try (TestUserAgent caller = TestUserAgent.udp().defaultUser(alice);
             TestUserAgent desk = TestUserAgent.udp().defaultUser(bob);
             TestUserAgent mobile = TestUserAgent.udp().defaultUser(bob)) {
            register(desk, bob);
            register(mobile, bob, ";q=0.5");
            Agents.Call call = establish(caller, alice, desk, bob, proxy.target());
            hangUp(call.callerSide(), desk);
        }

        String metrics = get(proxy, "/actuator/prometheus").body();

        assertThat(metrics)
                .contains("siplane_proxy_requests_total{method=\"INVITE\",status=\"407\"}")
                .contains("siplane_proxy_requests_total{method=\"INVITE\",status=\"200\"}")
                .contains("siplane_proxy_forks_total{method=\"INVITE\"}")
                .contains("siplane_proxy_branches_total{method=\"INVITE\",outcome=\"2xx\"}")
                .contains("siplane_proxy_session_setup_seconds_count")
                .contains("siplane_proxy_session_setup_seconds_bucket{le=")
                .contains("siplane_proxy_transactions_active");
        assertThat(proxy.requestsCounted(Request.INVITE)).isGreaterThanOrEqualTo(2);
    }
}
