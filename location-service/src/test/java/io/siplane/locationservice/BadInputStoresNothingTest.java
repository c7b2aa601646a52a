package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Issue 8, REST bad input: malformed JSON, wrong types, huge bodies, path-traversal-like and header-injection-like
 * names get a 4xx problem+json, and not one key appears in Redis for them.
 */
class BadInputStoresNothingTest extends ApiTestSupport {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void aValidSubscriberDoesCreateKeysSoTheCheckBelowCanSeeThem() {
        Set<String> before = keys();
        var response = postJson("/api/v1/subscribers",
                "{\"username\":\"stores-" + System.nanoTime() + "\",\"domain\":\"example.com\",\"password\":\"a-good-password\"}");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(newKeys(before)).isNotEmpty();
    }

    @Test
    void malformedOrWronglyTypedOrHugeBodiesStoreNothing() {
        List<String> bodies = List.of(
                "{\"username\": \"alice\", ",
                "not json at all",
                "",
                "null",
                "[]",
                "{\"username\":123,\"domain\":\"example.com\",\"password\":\"12345678\"}",
                "{\"username\":\"alice\",\"domain\":[\"example.com\"],\"password\":\"12345678\"}",
                "{\"username\":\"alice\",\"domain\":\"example.com\",\"password\":{\"a\":1}}",
                "{\"username\":\"alice\",\"domain\":\"example.com\"}",
                "{\"username\":\"alice\",\"domain\":\"example.com\",\"password\":\"" + "x".repeat(70_000) + "\"}",
                "{\"username\":\"" + "a".repeat(60_000) + "\",\"domain\":\"example.com\",\"password\":\"12345678\"}");
        for (String body : bodies) {
            assertStoresNothing(() -> postJson("/api/v1/subscribers", body), body.length() > 80 ? body.substring(0, 80) + "..." : body);
        }
    }

    @Test
    void traversalAndInjectionLikeNamesStoreNothing() {
        List<String[]> names = List.of(
                new String[] {"../../etc/passwd", "example.com"},
                new String[] {"alice/../../bob", "example.com"},
                new String[] {"alice\\\\..\\\\bob", "example.com"},
                new String[] {"alice\\r\\nX-Injected: yes", "example.com"},
                new String[] {"alice%0D%0ASet-Cookie: x=1", "example.com"},
                new String[] {"alice\\u0000", "example.com"},
                new String[] {"alice", "example.com/../../x"},
                new String[] {"alice", "example.com\\r\\nHost: evil.example"},
                new String[] {"alice", "exa mple.com"},
                new String[] {"alice@evil.example", "example.com"},
                new String[] {"alice", "*"},
                new String[] {"loc:aor:alice", "example.com"});
        for (String[] n : names) {
            String body = "{\"username\":\"" + n[0] + "\",\"domain\":\"" + n[1] + "\",\"password\":\"a-good-password\"}";
            assertStoresNothing(() -> postJson("/api/v1/subscribers", body), body);
        }
        for (String aor : List.of("..%2F..%2F..%2Fetc%2Fpasswd", "alice%0D%0ASet-Cookie:%20x=1@example.com",
                "alice%2500@example.com", "*")) {
            assertStoresNothing(() -> delete("/api/v1/bindings/" + aor), "DELETE " + aor);
            assertStoresNothing(() -> get("/api/v1/bindings/" + aor), "GET " + aor);
        }
    }

    /** "*" is a legal user part (RFC 3261 mark): as an AOR it names itself, never every AOR of the domain. */
    @Test
    void aWildcardLikeAorDeletesOnlyItself() {
        var aor = uniqueAor("example.com");
        bind(aor, contact("sip:phone@192.0.2.7:5060", 600, 1.0));
        for (String wildcard : List.of("sip:*@example.com", "*@example.com", "sip:%2A@example.com", "sip:al*@example.com")) {
            var response = delete("/api/v1/bindings/" + wildcard);
            assertThat(response.statusCode()).as(wildcard).isIn(204, 400, 404);
        }
        assertThat(store.lookup(aor)).as("bindings of %s", aor).hasSize(1);
    }

    /** The domain filter must not be a Redis glob: "*" or "[a-z]*" would list every domain's AORs. */
    @Test
    void aDomainFilterThatIsAGlobPatternIsRefused() {
        for (String domain : List.of("*", "%2A", "ex*", "%5Ba-z%5D*", "example.com*", "?xample.com")) {
            assertStoresNothing(() -> get("/api/v1/bindings?domain=" + domain), "GET ?domain=" + domain);
        }
    }

    private void assertStoresNothing(Supplier<HttpResponse<String>> call, String what) {
        Set<String> before = keys();
        HttpResponse<String> response = call.get();
        assertThat(response.statusCode()).as("%s: status", what).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).as("%s: content type", what)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).as(what).doesNotContain("Exception", "\tat ");
        assertThat(newKeys(before)).as("%s: keys created", what).isEmpty();
    }

    private Set<String> newKeys(Set<String> before) {
        Set<String> after = new HashSet<>(keys());
        after.removeAll(before);
        return after;
    }

    private Set<String> keys() {
        Set<String> keys = redis.keys("*");
        return keys == null ? Set.of() : keys;
    }
}
