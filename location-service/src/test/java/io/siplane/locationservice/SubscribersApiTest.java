package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.DigestHashes;
import io.siplane.location.Subscriber;
import tools.jackson.databind.JsonNode;

@ExtendWith(OutputCaptureExtension.class)
class SubscribersApiTest extends ApiTestSupport {

    private static String newSubscriber(String username, String domain, String password) {
        return "{\"username\":\"" + username + "\",\"domain\":\"" + domain + "\",\"password\":\"" + password + "\"}";
    }

    private static String uniqueUser() {
        return "sub-" + UUID.randomUUID().toString().substring(0, 12);
    }

    @Test
    void subscriberIsCreatedReadAndDeleted() {
        String user = uniqueUser();

        var created = postJson("/api/v1/subscribers", newSubscriber(user, "Example.COM", "correct horse battery"));

        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("/api/v1/subscribers/" + user + "@example.com");
        assertThat(json(created).get("aor").asString()).isEqualTo("sip:" + user + "@example.com");

        var read = get(location);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode body = json(read);
        assertThat(body.propertyNames()).containsExactly("username", "domain", "aor", "createdAt");
        assertThat(body.get("username").asString()).isEqualTo(user);
        assertThat(body.get("domain").asString()).isEqualTo("example.com");
        assertThat(body.get("createdAt")).isEqualTo(json(created).get("createdAt"));

        assertThat(get("/api/v1/subscribers/sip%3A" + user + "%40example.com").statusCode()).isEqualTo(200);

        var deleted = delete(location);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertProblem(get(location), 404);
        assertProblem(delete(location), 404);
    }

    @Test
    void storedSubscriberHoldsOnlyTheDigestHashesOfThePassword() {
        String user = uniqueUser();
        postJson("/api/v1/subscribers", newSubscriber(user, "example.com", "s3cret-passw0rd"));

        Subscriber stored = store.findSubscriber(AddressOfRecord.of(user, "example.com")).orElseThrow();

        assertThat(stored.ha1Md5()).isEqualTo(DigestHashes.ha1("MD5", user, "example.com", "s3cret-passw0rd".toCharArray()));
        assertThat(stored.ha1Sha256()).isEqualTo(DigestHashes.ha1("SHA-256", user, "example.com", "s3cret-passw0rd".toCharArray()));
    }

    @Test
    void creatingAnExistingSubscriberIs409() {
        String user = uniqueUser();
        assertThat(postJson("/api/v1/subscribers", newSubscriber(user, "example.com", "first-password")).statusCode())
                .isEqualTo(201);

        assertProblem(postJson("/api/v1/subscribers", newSubscriber(user, "example.com", "second-password")), 409);
    }

    @Test
    void invalidFieldsAre400NamingEachField() {
        var response = postJson("/api/v1/subscribers", newSubscriber("bad user", "-example..com", "short"));

        JsonNode problem = assertProblem(response, 400);
        assertThat(problem.get("errors").values()).extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("username", "domain", "password");
        assertThat(response.body()).doesNotContain("short");
    }

    @Test
    void missingFieldsAre400() {
        JsonNode problem = assertProblem(postJson("/api/v1/subscribers", "{}"), 400);
        assertThat(problem.get("errors").values()).extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("username", "domain", "password");
    }

    @Test
    void passwordTooLongIs400() {
        assertProblem(postJson("/api/v1/subscribers", newSubscriber(uniqueUser(), "example.com", "p".repeat(129))), 400);
    }

    @Test
    void passwordAndItsHashesAppearInNoResponseAndNoLog(CapturedOutput output) {
        String user = uniqueUser();
        String password = "pw-" + UUID.randomUUID();
        String md5 = DigestHashes.ha1("MD5", user, "example.com", password.toCharArray());
        String sha256 = DigestHashes.ha1("SHA-256", user, "example.com", password.toCharArray());
        List<HttpResponse<String>> responses = new ArrayList<>();

        responses.add(postJson("/api/v1/subscribers", newSubscriber(user, "example.com", password)));
        responses.add(get("/api/v1/subscribers/" + user + "@example.com"));
        responses.add(postJson("/api/v1/subscribers", newSubscriber(user, "example.com", password)));
        responses.add(postJson("/api/v1/subscribers", newSubscriber("bad user", "example.com", password)));
        responses.add(postJson("/api/v1/subscribers", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\""));
        responses.add(postJson("/api/v1/subscribers", "{\"username\":[1],\"domain\":\"example.com\",\"password\":\"" + password + "\"}"));
        responses.add(delete("/api/v1/subscribers/" + user + "@example.com"));

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(201, 200, 409, 400, 400, 400, 204);
        for (HttpResponse<String> response : responses) {
            assertThat(response.body()).doesNotContain(password, md5, sha256);
            assertThat(response.headers().map().toString()).doesNotContain(password);
        }
        assertThat(output.getAll()).doesNotContain(password, md5, sha256);
    }
}
