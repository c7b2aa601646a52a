package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import io.siplane.location.LocationStore;
import io.siplane.location.RegisterUpdate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain-HTTP helpers for tests that run the real service on a random port; the token is {@link #TOKEN}. */
public abstract class RestClientSupport {

    public static final String TOKEN = "test-token-7c1e0f4a9b2d";

    protected static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    protected static final JsonMapper JSON = JsonMapper.shared();

    @LocalServerPort
    protected int port;

    @Autowired
    protected LocationStore store;

    protected URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A request carrying the API token. */
    protected HttpRequest.Builder request(String pathAndQuery) {
        return anonymous(pathAndQuery).header("Authorization", "Bearer " + TOKEN);
    }

    protected HttpRequest.Builder anonymous(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    protected static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    protected HttpResponse<String> delete(String pathAndQuery) {
        return send(request(pathAndQuery).DELETE());
    }

    protected HttpResponse<String> postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Asserts an RFC 9457 problem details answer with this status and nothing of a stack trace. */
    protected static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as("content type of %s", response.uri())
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
        return problem;
    }

    protected static AddressOfRecord uniqueAor(String domain) {
        return AddressOfRecord.of("user-" + UUID.randomUUID(), domain);
    }

    protected void bind(AddressOfRecord aor, ContactUpdate... contacts) {
        store.register(RegisterUpdate.of(aor, "call-" + UUID.randomUUID(), 1, List.of(contacts)));
    }

    protected static ContactUpdate contact(String uri, int expires, double q) {
        return new ContactUpdate(uri, expires, Optional.of(q), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty());
    }
}
