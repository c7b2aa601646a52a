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
        "siplane.metrics.aors-refresh=500ms"})
public abstract class ApiTestSupport extends RestClientSupport {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        RedisFixture.register(registry);
    }
}
