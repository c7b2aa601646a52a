package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import io.siplane.testsupport.RedisFixture;

/** Redis of its own, stopped and started again: the API answers 503 fast meanwhile and recovers after. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "siplane.api.token=" + RestClientSupport.TOKEN)
@DirtiesContext
class StoreOutageTest extends RestClientSupport {

    private static final RedisFixture.LocalRedis REDIS = RedisFixture.startDedicated();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", REDIS::url);
    }

    @AfterAll
    static void removeRedis() {
        REDIS.close();
    }

    @Test
    void storeDownAnswers503FastAndReadinessDownThenRecoversWhenRedisIsBack() {
        AddressOfRecord aor = uniqueAor("outage.test");
        String binding = "/api/v1/bindings/" + aor.user() + "@outage.test";
        bind(aor, ContactUpdate.of("sip:o@192.0.2.1", 3600));
        assertThat(get(binding).statusCode()).isEqualTo(200);
        assertThat(send(anonymous("/actuator/health/readiness").GET()).statusCode()).isEqualTo(200);

        REDIS.stop();

        List<Supplier<HttpResponse<String>>> calls = List.of(
                () -> get(binding),
                () -> get("/api/v1/bindings?domain=outage.test"),
                () -> delete(binding),
                () -> get("/api/v1/subscribers/alice@outage.test"),
                () -> postJson("/api/v1/subscribers", "{\"username\":\"alice\",\"domain\":\"outage.test\",\"password\":\"12345678\"}"),
                () -> get(binding));
        for (Supplier<HttpResponse<String>> call : calls) {
            long start = System.nanoTime();
            HttpResponse<String> response = call.get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertProblem(response, 503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(took).as("time to answer while Redis is down").isLessThan(Duration.ofSeconds(2));
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var readiness = send(anonymous("/actuator/health/readiness").GET());
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(json(readiness).get("status").asString()).isEqualTo("DOWN");
        });
        assertThat(send(anonymous("/actuator/health/liveness").GET()).statusCode()).isEqualTo(200);

        REDIS.start();

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(send(anonymous("/actuator/health/readiness").GET()).statusCode()).isEqualTo(200);
            // the restarted Redis kept no data: the answer is "no binding", no longer "unavailable"
            assertThat(get(binding).statusCode()).isEqualTo(404);
        });
        bind(aor, ContactUpdate.of("sip:o@192.0.2.1", 3600));
        assertThat(get(binding).statusCode()).isEqualTo(200);
        assertThat(send(request("/api/v1/subscribers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"alice\",\"domain\":\"outage.test\",\"password\":\"12345678\"}"))).statusCode())
                .isEqualTo(201);
    }
}
