package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP edge's client to location-service, against a stand-in location-service over real HTTP that records
 * every request and the client port it came from: connections are kept alive and reused, an upstream 503 is passed
 * on once (never retried by the client), a silent upstream is a 503 problem at the read timeout, and the body's bytes
 * are relayed as they came (no decompression).
 */
class LocationApiProxyTest {

    static final String BINDING = "{\"aor\":\"sip:alice@example.com\",\"contacts\":[]}";
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    static final CountDownLatch released = new CountDownLatch(1);
    static final ExecutorService stubThreads = Executors.newCachedThreadPool();
    static HttpServer location;
    static RunningGateway gateway;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        location = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        location.createContext("/api/v1/bindings/", LocationApiProxyTest::answer);
        location.setExecutor(stubThreads);
        location.start();
        gateway = RunningGateway.start(null, "gateway.http.location-url=http://127.0.0.1:" + location.getAddress().getPort(),
                "gateway.http.rate-limit.enabled=false", "gateway.http.read-timeout=500ms");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        released.countDown();
        if (location != null) {
            location.stop(0);
        }
        stubThreads.shutdownNow();
    }

    @BeforeEach
    void forget() {
        requests.clear();
        clientPorts.clear();
    }

    /** The stand-in: the AOR in the path chooses the answer. */
    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst("Authorization"));
        clientPorts.add(exchange.getRemoteAddress().getPort());
        try (exchange) {
            if (path.endsWith("/silent@example.com")) {
                // answers only once the test is over: the gateway must give up at its read timeout
                awaitRelease();
                exchange.sendResponseHeaders(204, -1);
            } else if (path.endsWith("/unavailable@example.com")) {
                byte[] body = "{\"status\":503}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.getResponseHeaders().add("Retry-After", "1");
                exchange.sendResponseHeaders(503, body.length);
                exchange.getResponseBody().write(body);
            } else if (path.endsWith("/gzip@example.com")) {
                byte[] body = gzip(BINDING);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                byte[] body = BINDING.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Test
    void lookupsInTurnShareOneKeptAliveConnectionToLocationService() throws Exception {
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = get("alice@example.com");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(BINDING);
        }
        assertThat(requests).hasSize(30).allMatch(r -> r.equals("GET /api/v1/bindings/alice@example.com Bearer " + RunningGateway.TOKEN));
        // one request at a time: the pooled connection is taken back each time, never a new one per lookup
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void serviceUnavailableFromLocationServiceIsPassedOnOnceNotRetried() throws Exception {
        HttpResponse<String> response = get("unavailable@example.com");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).isEqualTo("{\"status\":503}");
        assertThat(requests).hasSize(1);
    }

    @Test
    void silentLocationServiceIsA503ProblemAtTheReadTimeout() throws Exception {
        HttpResponse<String> response = get("silent@example.com");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":503");
        assertThat(requests).hasSize(1);
    }

    @Test
    void compressedBodyIsRelayedAsItCameWithItsContentEncoding() throws Exception {
        HttpResponse<byte[]> response = client.send(request("gzip@example.com").header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.body()).isEqualTo(gzip(BINDING));
    }

    private static HttpResponse<String> get(String aor) throws Exception {
        return client.send(request(aor).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String aor) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/v1/bindings/" + aor))
                .header("Authorization", "Bearer " + RunningGateway.TOKEN).timeout(Duration.ofSeconds(10));
    }

    private static void awaitRelease() {
        try {
            released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
