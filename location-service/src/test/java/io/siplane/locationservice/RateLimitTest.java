package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.testsupport.RedisFixture;

/**
 * The per-client rate limit with a small bucket (one request per 2 s, burst 5): a client beyond it gets 429 problem+json with
 * Retry-After, wrong tokens included (token guessing is limited too); another client address is not affected; after
 * Retry-After the first client is served again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "siplane.api.token=" + RestClientSupport.TOKEN,
        "siplane.api.rate-limit.requests-per-second=0.5", "siplane.api.rate-limit.burst=5"})
class RateLimitTest extends RestClientSupport {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
    }

    @Test
    void aClientBeyondItsBucketGets429WithRetryAfterWhileAnotherClientIsServed() throws Exception {
        int refused = 0;
        String limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            // wrong tokens: the limit comes before the token check, so guessing is limited too
            String response = rawGet("127.0.0.1", "/api/v1/bindings/rate@example.com", "wrong-token-0123456789");
            if (response.startsWith("HTTP/1.1 429")) {
                limited = response;
            } else {
                assertThat(response).startsWith("HTTP/1.1 401");
                refused++;
            }
        }
        assertThat(refused).as("requests answered before the limit").isBetween(5, 6);
        assertThat(limited).containsIgnoringCase("Content-Type: application/problem+json").contains("\"status\":429")
                .doesNotContain("Exception");
        long retryAfter = retryAfter(limited);
        assertThat(retryAfter).isBetween(1L, 2L);
        assertThat(rawGet("127.0.0.1", "/api/v1/bindings/rate@example.com", TOKEN)).as("the right token, same client")
                .startsWith("HTTP/1.1 429");

        assertThat(rawGet("127.0.0.7", "/api/v1/bindings/rate@example.com", TOKEN)).as("another client")
                .startsWith("HTTP/1.1 404");

        Thread.sleep(retryAfter * 1000 + 100);
        assertThat(rawGet("127.0.0.1", "/api/v1/bindings/rate@example.com", TOKEN)).as("after Retry-After")
                .startsWith("HTTP/1.1 404");
    }

    private static long retryAfter(String response) {
        return response.lines().filter(l -> l.regionMatches(true, 0, "Retry-After:", 0, 12))
                .mapToLong(l -> Long.parseLong(l.substring(12).strip())).findFirst().orElseThrow();
    }

    /** One HTTP/1.1 exchange from the local address {@code from} (all of 127/8 is loopback on Linux). */
    private String rawGet(String from, String path, String token) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(5000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
