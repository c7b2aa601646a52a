package io.siplane.gateway.flood;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siplane.sip.net.Cidr;

class FloodGuardTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    FloodGuard guard(List<String> allow) {
        return new FloodGuard(true, 10, 5, allow, 1000, new SimpleMeterRegistry(), now::get);
    }

    @Test
    void aSourceGetsItsBurstThenItsRateAndTheExcessIsCounted() {
        FloodGuard guard = guard(List.of());
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += guard.admit("192.0.2.1") ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
        assertThat(guard.droppedCount()).isEqualTo(15);
        now.addAndGet(300_000_000L); // 0.3 s at 10/s: 3 more
        admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += guard.admit("192.0.2.1") ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void sourcesAreLimitedSeparately() {
        FloodGuard guard = guard(List.of());
        for (int i = 0; i < 50; i++) {
            guard.admit("192.0.2.1");
        }
        assertThat(guard.admit("192.0.2.2")).isTrue();
    }

    @Test
    void allowListedBlocksAreNeverLimited() {
        FloodGuard guard = guard(List.of("10.0.0.0/8", "2001:db8::/32"));
        for (int i = 0; i < 50; i++) {
            assertThat(guard.admit("10.1.2.3")).isTrue();
            assertThat(guard.admit("2001:db8::7")).isTrue();
        }
        assertThat(guard.droppedCount()).isZero();
    }

    @Test
    void cidrMatchesOnPrefixBitsOnly() {
        Cidr c = Cidr.parse("192.168.4.0/22");
        assertThat(c.contains(new byte[] {(byte) 192, (byte) 168, 7, (byte) 255})).isTrue();
        assertThat(c.contains(new byte[] {(byte) 192, (byte) 168, 8, 0})).isFalse();
        assertThat(Cidr.parse("127.0.0.1").contains(new byte[] {127, 0, 0, 1})).isTrue();
    }
}
