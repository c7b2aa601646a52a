package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import io.siplane.location.ReceivedFrom;
import tools.jackson.databind.JsonNode;

class BindingsApiTest extends ApiTestSupport {

    @Test
    void bindingIsReadInTheDocumentedShape() {
        AddressOfRecord aor = uniqueAor("example.com");
        ContactUpdate full = new ContactUpdate("sip:alice@192.0.2.10:5060;transport=tcp", 3600, Optional.of(0.5),
                List.of("<sip:edge.example.com;lr>"), Optional.of(new ReceivedFrom("tcp", "192.0.2.10", 40000)),
                Optional.of("Phone/1.0"), Optional.of("<urn:uuid:00000000-0000-0000-0000-000000000001>"), OptionalInt.of(1));
        bind(aor, full);

        var response = get("/api/v1/bindings/" + aor.user() + "@example.com");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.propertyNames()).containsExactly("aor", "contacts");
        assertThat(body.get("aor").asString()).isEqualTo(aor.uri());
        JsonNode contact = body.get("contacts").get(0);
        assertThat(contact.propertyNames()).containsExactly("uri", "expires", "q", "callId", "cseq", "path", "received",
                "userAgent", "instanceId", "expiresAt");
        assertThat(contact.get("uri").asString()).isEqualTo("sip:alice@192.0.2.10:5060;transport=tcp");
        assertThat(contact.get("expires").asLong()).isBetween(3590L, 3600L);
        assertThat(contact.get("q").asDouble()).isEqualTo(0.5);
        assertThat(contact.get("callId").asString()).startsWith("call-");
        assertThat(contact.get("cseq").asLong()).isEqualTo(1);
        assertThat(contact.get("path").get(0).asString()).isEqualTo("<sip:edge.example.com;lr>");
        assertThat(contact.get("received").asString()).isEqualTo("sip:192.0.2.10:40000;transport=tcp");
        assertThat(contact.get("userAgent").asString()).isEqualTo("Phone/1.0");
        assertThat(contact.get("instanceId").asString()).isEqualTo("<urn:uuid:00000000-0000-0000-0000-000000000001>");
        assertThat(Instant.parse(contact.get("expiresAt").asString())).isAfter(Instant.now().plusSeconds(3500));
    }

    @Test
    void absentOptionalContactFieldsAreNull() {
        AddressOfRecord aor = uniqueAor("example.com");
        bind(aor, ContactUpdate.of("sip:bob@192.0.2.20", 600));

        JsonNode contact = json(get("/api/v1/bindings/" + aor.user() + "@example.com")).get("contacts").get(0);

        assertThat(contact.get("q").isNull()).isTrue();
        assertThat(contact.get("received").isNull()).isTrue();
        assertThat(contact.get("userAgent").isNull()).isTrue();
        assertThat(contact.get("instanceId").isNull()).isTrue();
        assertThat(contact.get("path").isEmpty()).isTrue();
    }

    @Test
    void aorIsAcceptedAsUrlEncodedSipUri() {
        AddressOfRecord aor = uniqueAor("example.com");
        bind(aor, ContactUpdate.of("sip:carol@192.0.2.30", 600));

        var response = get("/api/v1/bindings/sip%3A" + aor.user() + "%40example.com");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("aor").asString()).isEqualTo(aor.uri());
    }

    @Test
    void contactsAreListedMostPreferredFirst() {
        AddressOfRecord aor = uniqueAor("example.com");
        bind(aor, contact("sip:low@192.0.2.1", 600, 0.1), contact("sip:high@192.0.2.2", 600, 0.9));

        JsonNode contacts = json(get("/api/v1/bindings/" + aor.user() + "@example.com")).get("contacts");

        assertThat(contacts.values()).extracting(c -> c.get("uri").asString())
                .containsExactly("sip:high@192.0.2.2", "sip:low@192.0.2.1");
    }

    @Test
    void aorWithoutBindingIs404ProblemDetails() {
        var response = get("/api/v1/bindings/nobody-" + UUID.randomUUID() + "@example.com");

        assertProblem(response, 404);
    }

    @Test
    void deleteRemovesEveryContactOfTheAor() {
        AddressOfRecord aor = uniqueAor("example.com");
        bind(aor, ContactUpdate.of("sip:d1@192.0.2.1", 600), ContactUpdate.of("sip:d2@192.0.2.2", 600));
        String path = "/api/v1/bindings/" + aor.user() + "@example.com";
        assertThat(get(path).statusCode()).isEqualTo(200);

        var response = delete(path);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(store.lookup(aor)).isEmpty();
        assertProblem(get(path), 404);
    }

    @Test
    void deletingAnAorWithoutBindingsIsStill204() {
        assertThat(delete("/api/v1/bindings/nobody-" + UUID.randomUUID() + "@example.com").statusCode()).isEqualTo(204);
    }

    @Test
    void listingFiltersByDomain() {
        String domain = "list-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        List<AddressOfRecord> aors = List.of(uniqueAor(domain), uniqueAor(domain), uniqueAor(domain));
        aors.forEach(aor -> bind(aor, ContactUpdate.of("sip:x@192.0.2.1", 600)));
        bind(uniqueAor("other-" + domain), ContactUpdate.of("sip:y@192.0.2.1", 600));

        JsonNode page = json(get("/api/v1/bindings?domain=" + domain));

        assertThat(page.get("items").values()).extracting(i -> i.get("aor").asString())
                .containsExactlyInAnyOrderElementsOf(aors.stream().map(AddressOfRecord::uri).toList());
        assertThat(page.get("items").get(0).get("contacts").get(0).get("uri").asString()).isEqualTo("sip:x@192.0.2.1");
        assertThat(page.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void listingRejectsALimitOutOfRange() {
        assertProblem(get("/api/v1/bindings?limit=0"), 400);
        assertProblem(get("/api/v1/bindings?limit=1001"), 400);
    }

    @Test
    void listingRejectsACursorItDidNotIssue() {
        assertProblem(get("/api/v1/bindings?cursor=not-a-cursor"), 400);
    }
}
