package io.siplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ClientRateLimitTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ClientRateLimit limit = new ClientRateLimit(new HttpEdgeProperties.RateLimit(true, 10, 3, 1000),
            new SimpleMeterRegistry(), now::get);

    @Test
    void aClientGetsItsBurstThenTheRateAndIsToldWhenToComeBack() {
        for (int i = 0; i < 3; i++) {
            assertThat(limit.acquire("192.0.2.1")).isEmpty();
        }
        assertThat(limit.acquire("192.0.2.1")).hasValue(100_000_000L);
        now.addAndGet(50_000_000L);
        assertThat(limit.acquire("192.0.2.1")).hasValue(50_000_000L);
        now.addAndGet(50_000_000L);
        assertThat(limit.acquire("192.0.2.1")).isEmpty();
    }

    @Test
    void clientsAreLimitedSeparately() {
        for (int i = 0; i < 3; i++) {
            limit.acquire("192.0.2.1");
        }
        assertThat(limit.acquire("192.0.2.1")).isPresent();
        assertThat(limit.acquire("192.0.2.2")).isEmpty();
    }
}
