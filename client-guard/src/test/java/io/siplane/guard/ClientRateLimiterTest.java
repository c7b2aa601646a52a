package io.siplane.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ClientRateLimiter limit = new ClientRateLimiter(10, 3, 1000, now::get);

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

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(ClientRateLimiter.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(ClientRateLimiter.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
        assertThat(ClientRateLimiter.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
    }

    @Test
    void aLimitWithoutARateOrBurstIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new ClientRateLimiter(0, 3, 1000, now::get));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new ClientRateLimiter(10, 0, 1000, now::get));
    }
}
