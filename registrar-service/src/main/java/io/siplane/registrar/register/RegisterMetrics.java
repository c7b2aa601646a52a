package io.siplane.registrar.register;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    /** One timer per status, looked up once: building the meter id for every REGISTER showed in profiles. */
    private final Map<Integer, Timer> byStatus = new ConcurrentHashMap<>();

    public RegisterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void answered(int status, Duration elapsed) {
        byStatus.computeIfAbsent(status, s -> Timer.builder("siplane.registrar.requests")
                .description("REGISTER requests answered, by response status")
                .tag("status", Integer.toString(s))
                .register(registry))
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
