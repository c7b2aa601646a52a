package io.siplane.registrar.register;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code siplane.registrar.responses} (counter: every REGISTER answered, by status),
 * {@code siplane.registrar.requests} (timer: the latency of one REGISTER in {@value #SAMPLE_EVERY} per status, the
 * first included — a timer per message cost more than the rest of the bookkeeping) and
 * {@code siplane.registrar.auth.failures} (counter by reason).
 */
@Component
public class RegisterMetrics {

    static final int SAMPLE_EVERY = 64;

    /** The meters of one status, looked up once: building a meter id per REGISTER showed in profiles. */
    private record PerStatus(Counter responses, Timer latency, AtomicLong answered) {
    }

    private final MeterRegistry registry;
    private final Map<Integer, PerStatus> byStatus = new ConcurrentHashMap<>();
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();

    public RegisterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One REGISTER answered with {@code status}, received at {@code startNanos} ({@link System#nanoTime()}). */
    public void answered(int status, long startNanos) {
        PerStatus meters = byStatus.computeIfAbsent(status, this::perStatus);
        meters.responses().increment();
        if (meters.answered().getAndIncrement() % SAMPLE_EVERY == 0) {
            meters.latency().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    private PerStatus perStatus(int status) {
        String tag = Integer.toString(status);
        return new PerStatus(
                Counter.builder("siplane.registrar.responses")
                        .description("REGISTER requests answered, by response status")
                        .tag("status", tag)
                        .register(registry),
                Timer.builder("siplane.registrar.requests")
                        .description("REGISTER latency, by response status: one request in " + SAMPLE_EVERY + " sampled")
                        .tag("status", tag)
                        .register(registry),
                new AtomicLong());
    }

    public void authFailure(String reason) {
        authFailures.computeIfAbsent(reason, r -> Counter.builder("siplane.registrar.auth.failures")
                .description("REGISTER requests whose credentials were refused, by reason")
                .tag("reason", r)
                .register(registry))
                .increment();
    }
}
