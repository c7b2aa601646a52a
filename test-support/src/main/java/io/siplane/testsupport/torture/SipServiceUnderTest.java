package io.siplane.testsupport.torture;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.siplane.testsupport.app.RunningService;

/**
 * A SIP service under bad-input tests: where its SIP and HTTP ports are and which domain it serves.
 *
 * @param name     for reports, e.g. {@code registrar-service}
 * @param sipPort  UDP and TCP
 * @param domain   a domain the service is configured to serve (torture messages are rewritten to it)
 * @param httpPort actuator port
 */
public record SipServiceUnderTest(String name, int sipPort, String domain, int httpPort) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A service started with {@link RunningService} ({@code sip.port} among its properties, any HTTP port). */
    public static SipServiceUnderTest of(String name, RunningService service, String domain) {
        int sip = Integer.parseInt(service.property("sip.port"));
        int http = Integer.parseInt(service.context().getEnvironment().getProperty("local.server.port", "-1"));
        return new SipServiceUnderTest(name, sip, domain, http);
    }

    public RawSipClient client() {
        return RawSipClient.loopback(sipPort);
    }

    /** {@code /actuator/health/liveness} status and body, e.g. {@code 200 {"status":"UP",...}}. */
    public String liveness() {
        if (httpPort <= 0) {
            return "no HTTP port";
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/liveness")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    public boolean isLive() {
        return liveness().startsWith("200 ");
    }
}
