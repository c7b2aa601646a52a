package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of bad request gets its status and an application/problem+json body. */
class BadInputTest extends ApiTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {
            "alice",                                   // no host
            "@example.com",                            // no user
            "alice@",                                  // no host
            "tel:+15551234567",                        // not SIP
            "http:%2F%2Fevil.example%2Falice@x",       // other scheme
            "..%2F..%2F..%2Fetc%2Fpasswd",             // path traversal, encoded slashes
            "%2e%2e%2F%2e%2e%2Fetc%2Fpasswd",          // path traversal, encoded dots and slashes
            "..%5C..%5Cwindows%5Cwin.ini",             // path traversal, encoded backslashes
            "alice%0D%0ASet-Cookie:%20x=1@example.com", // header injection, CR LF
            "alice%250D%250AX-Injected:%20yes@example.com", // header injection, escaped inside the user part
            "alice%2500@example.com",                  // escaped NUL inside the user part
            "alice@exa%20mple.com",                    // space in host
            "alice@example.com%3E%3Cscript%3E",        // markup
            "sip:alice@example.com:99999",             // port out of range
    })
    void aorThatIsNotASipUriOrUserAtHostIs400(String aor) {
        assertProblem(get("/api/v1/bindings/" + aor), 400);
        assertProblem(delete("/api/v1/bindings/" + aor), 400);
        assertProblem(get("/api/v1/subscribers/" + aor), 400);
        assertProblem(delete("/api/v1/subscribers/" + aor), 400);
    }

    /** Tomcat refuses these itself, before Spring MVC; the answer is still problem+json. */
    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/bindings/alice%00@example.com",
            "/api/v1/bindings/a|b@example.com",
            "/api/v1/bindings/a\\b@example.com",
            "/api/v1/bindings/%zz@example.com"})
    void requestTheServletContainerRefusesIs400ProblemDetails(String target) throws IOException {
        String response = rawHttp("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");

        assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"status\":400").doesNotContain("<html", "Exception");
    }

    @Test
    void oversizedRequestHeadersAre400ProblemDetails() throws IOException {
        String response = rawHttp("GET /api/v1/bindings/alice@example.com HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(20_000) + "\r\n");

        assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json");
    }

    private String rawHttp(String requestLineAndHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((requestLineAndHeaders + "Authorization: Bearer " + TOKEN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void overlongAorIs400() {
        assertProblem(get("/api/v1/bindings/" + "a".repeat(600) + "@example.com"), 400);
    }

    @Test
    void requestWithoutTokenIs401WithBearerChallenge() {
        for (String path : new String[] {"/api/v1/bindings/alice@example.com", "/api/v1/bindings", "/api/v1/subscribers/alice@example.com",
                "/actuator/prometheus", "/actuator", "/nothing-here", "/error"}) {
            var response = send(anonymous(path).GET());
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        var post = send(anonymous("/api/v1/subscribers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"mallory\",\"domain\":\"example.com\",\"password\":\"12345678\"}")));
        assertProblem(post, 401);
    }

    @Test
    void wrongTokenIs401WithInvalidTokenError() {
        for (String authorization : new String[] {"Bearer wrong-token-wrong-token", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                "Bearer ", "Basic " + TOKEN, TOKEN}) {
            var response = send(anonymous("/api/v1/bindings/alice@example.com").header("Authorization", authorization).GET());
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @Test
    void healthIsPublicButNothingElseUnderActuator() {
        assertThat(send(anonymous("/actuator/health").GET()).statusCode()).isEqualTo(200);
        assertProblem(send(anonymous("/actuator/health/../prometheus").GET()), 401);
        assertProblem(send(anonymous("/actuator/health/..;/prometheus").GET()), 401);
        assertProblem(send(anonymous("/actuator/health").DELETE()), 401);
    }

    @Test
    void unknownPathIs404() {
        assertProblem(get("/api/v1/nothing-here"), 404);
        assertProblem(get("/api/v2/bindings/alice@example.com"), 404);
    }

    @Test
    void wrongMethodIs405() {
        assertProblem(send(request("/api/v1/bindings/alice@example.com").PUT(HttpRequest.BodyPublishers.ofString("{}"))), 405);
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(postJson("/api/v1/subscribers", "{\"username\": \"alice\", "), 400);
        assertProblem(postJson("/api/v1/subscribers", "not json at all"), 400);
        assertProblem(postJson("/api/v1/subscribers", ""), 400);
        assertProblem(postJson("/api/v1/subscribers", "null"), 400);
    }

    @Test
    void wrongJsonTypesAre400() {
        assertProblem(postJson("/api/v1/subscribers", "[]"), 400);
        assertProblem(postJson("/api/v1/subscribers", "\"alice\""), 400);
        var number = assertProblem(postJson("/api/v1/subscribers", "{\"username\":123,\"domain\":\"example.com\",\"password\":\"12345678\"}"), 400);
        assertThat(number.get("detail").asString()).contains("username");
        assertProblem(postJson("/api/v1/subscribers", "{\"username\":\"alice\",\"domain\":[\"example.com\"],\"password\":\"12345678\"}"), 400);
        assertProblem(postJson("/api/v1/subscribers", "{\"username\":\"alice\",\"domain\":\"example.com\",\"password\":{\"a\":1}}"), 400);
        assertProblem(postJson("/api/v1/subscribers", "{\"username\":true,\"domain\":\"example.com\",\"password\":\"12345678\"}"), 400);
    }

    @Test
    void wrongQueryParameterTypeIs400() {
        assertProblem(get("/api/v1/bindings?limit=ten"), 400);
    }

    @Test
    void bodyOver64KiBIs413() {
        String big = "{\"username\":\"alice\",\"domain\":\"example.com\",\"password\":\"" + "x".repeat(70_000) + "\"}";

        assertProblem(postJson("/api/v1/subscribers", big), 413);
    }

    @Test
    void chunkedBodyOver64KiBWithoutContentLengthIs413() {
        byte[] big = ("{\"username\":\"alice\",\"domain\":\"example.com\",\"password\":\"" + "x".repeat(70_000) + "\"}").getBytes();

        HttpResponse<String> response = send(request("/api/v1/subscribers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));

        assertProblem(response, 413);
    }

    @Test
    void bodyJustUnder64KiBIsReadNormally() {
        String body = "{\"username\":\"alice\",\"domain\":\"example.com\",\"password\":\"short\",\"padding\":\""
                + "x".repeat(60_000) + "\"}";
        assertProblem(postJson("/api/v1/subscribers", body), 400);
    }

    @Test
    void unsupportedMediaTypeIs415() {
        assertProblem(send(request("/api/v1/subscribers").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice"))), 415);
        assertProblem(send(request("/api/v1/subscribers").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&domain=example.com&password=12345678"))), 415);
    }

    @Test
    void clientAcceptingOnlyHtmlIs406WithProblemDetails() {
        assertProblem(send(request("/api/v1/bindings/nobody@example.com").header("Accept", "text/html").GET()), 406);
    }

    @Test
    void errorsAreProblemDetailsWhenTheClientAcceptsAnything() {
        assertProblem(send(request("/api/v1/bindings/nobody@example.com").header("Accept", "*/*").GET()), 404);
        assertProblem(send(request("/api/v1/bindings/not-an-aor").header("Accept", "application/json").GET()), 400);
    }
}
