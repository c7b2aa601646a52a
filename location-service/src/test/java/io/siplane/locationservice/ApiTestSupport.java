package io.siplane.locationservice;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.siplane.testsupport.RedisFixture;

/**
 * The real service on a random port against the shared real Redis. Every test class that extends
 * this shares one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "siplane.api.token=" + RestClientSupport.TOKEN,
        "siplane.metrics.aors-refresh=500ms",
        // every test class shares this context and one client address: the rate limit has its own test
        "siplane.api.rate-limit.requests-per-second=100000", "siplane.api.rate-limit.burst=100000"})
public abstract class ApiTestSupport extends RestClientSupport {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
    }
}
