package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.tls.SelfSignedCertificate;

/**
 * HTTPS as a configuration option ({@code server.ssl.*}, a PKCS12 key store): with a certificate generated for this
 * test, a client that trusts it uses the API over TLS 1.3; one that does not gets no connection, and plain HTTP on the
 * HTTPS port gets no API answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "siplane.api.token=" + RestClientSupport.TOKEN, "server.ssl.enabled=true", "server.ssl.key-store-type=PKCS12",
        "server.ssl.key-store-password=" + SelfSignedCertificate.PASSWORD, "server.ssl.enabled-protocols=TLSv1.3,TLSv1.2"})
class HttpsTest {

    static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.generate();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
        registry.add("server.ssl.key-store", () -> CERTIFICATE.keyStore().toString());
    }

    @AfterAll
    static void deleteCertificate() {
        CERTIFICATE.close();
    }

    private HttpResponse<String> get(HttpClient client, String scheme, String path, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
        if (withToken) {
            b.header("Authorization", "Bearer " + RestClientSupport.TOKEN);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientTrustingTheCertificateUsesTheApiOverTls() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(CERTIFICATE.clientContext()).build();

        HttpResponse<String> found = get(trusting, "https", "/api/v1/bindings/nobody@https.example", true);
        assertThat(found.statusCode()).isEqualTo(404);
        assertThat(found.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
        assertThat(get(trusting, "https", "/api/v1/bindings/nobody@https.example", false).statusCode()).isEqualTo(401);
        assertThat(get(trusting, "https", "/actuator/health", false).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustItGetsNoConnectionAndPlainHttpGetsNoApiAnswer() throws Exception {
        try (SelfSignedCertificate other = SelfSignedCertificate.generate()) {
            HttpClient stranger = HttpClient.newBuilder().sslContext(other.clientContext()).build();
            assertThatThrownBy(() -> get(stranger, "https", "/actuator/health", false)).isInstanceOf(SSLHandshakeException.class);
        }
        HttpClient plain = HttpClient.newBuilder().build();
        try {
            assertThat(get(plain, "http", "/api/v1/bindings/nobody@https.example", true).statusCode()).isEqualTo(400);
        } catch (IOException refused) {
            // the TLS connector may also just close the connection
        }
    }
}
