package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.locationservice.LocationServiceApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.tls.SelfSignedCertificate;

/**
 * HTTPS as a configuration option, with a certificate generated for this test: location-service serves its API over
 * TLS ({@code server.ssl.*}, PKCS12) to a client that trusts the certificate, and to no other; the gateway's HTTP edge
 * serves TLS too and reaches location-service, trusting its certificate through an SSL bundle
 * ({@code gateway.http.ssl-bundle}).
 */
class HttpsEdgeTest {

    static SelfSignedCertificate certificate;
    static RunningService location;
    static RunningGateway gateway;
    static int locationPort;

    @BeforeAll
    static void start() {
        certificate = SelfSignedCertificate.generate();
        locationPort = RedisFixture.freePort();
        location = RunningService.start(LocationServiceApplication.class, Map.of("server.port", String.valueOf(locationPort),
                "spring.data.redis.url", RedisFixture.url(), "siplane.api.token", RunningGateway.TOKEN, "sip.enabled", "false",
                "server.ssl.enabled", "true", "server.ssl.key-store", certificate.keyStore().toString(),
                "server.ssl.key-store-type", "PKCS12", "server.ssl.key-store-password", SelfSignedCertificate.PASSWORD));
        gateway = RunningGateway.start(null, "gateway.registrar.targets=127.0.0.1:9", "gateway.proxy.targets=127.0.0.1:9",
                "gateway.http.location-url=https://localhost:" + locationPort,
                "gateway.http.ssl-bundle=location",
                "spring.ssl.bundle.jks.location.truststore.location=file:" + certificate.trustStore(),
                "spring.ssl.bundle.jks.location.truststore.type=PKCS12",
                "spring.ssl.bundle.jks.location.truststore.password=" + SelfSignedCertificate.PASSWORD,
                "server.ssl.enabled=true", "server.ssl.key-store=" + certificate.keyStore(), "server.ssl.key-store-type=PKCS12",
                "server.ssl.key-store-password=" + SelfSignedCertificate.PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (location != null) {
            location.close();
        }
        certificate.close();
    }

    @Test
    void locationServiceServesItsApiOverTls13ToAClientThatTrustsTheCertificateOnly() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("https://localhost:" + locationPort + "/api/v1/bindings/nobody@example.com");
        HttpResponse<String> answer = trusting.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + RunningGateway.TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));

        try (SelfSignedCertificate other = SelfSignedCertificate.generate()) {
            HttpClient stranger = HttpClient.newBuilder().sslContext(other.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> stranger.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theApiIsServedOverHttpsThroughTheGatewayToLocationServiceOnHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certificate.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("https://localhost:" + gateway.httpPort() + "/api/v1/bindings/nobody@example.com");

        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + RunningGateway.TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertThat(answer.body()).contains("\"status\":404").doesNotContain("Service Unavailable");
        assertThat(answer.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));

        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
