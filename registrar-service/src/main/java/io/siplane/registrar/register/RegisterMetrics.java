package io.siplane.registrar.register;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code siplane.registrar.requests} (timer: REGISTER outcomes by status, latency histogram) and
 * {@code siplane.registrar.auth.failures} (counter by reason).
 */
@Component
public class RegisterMetrics {

    private final MeterRegistry registry;

    public RegisterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void answered(int status, Duration elapsed) {
        Timer.builder("siplane.registrar.requests")
                .description("REGISTER requests answered, by response status")
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(elapsed);
    }

    public void authFailure(String reason) {
        Counter.builder("siplane.registrar.auth.failures")
                .description("REGISTER requests whose credentials were refused, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
