package io.siplane.redirect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code siplane.redirect.responses{method,status}}: every answer the redirect server sends. */
@Component
public class RedirectMetrics {

    private final MeterRegistry registry;
    /** One counter per method and status, found without building tags on every answer (the hot path). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public RedirectMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void answered(String method, int status) {
        counters.computeIfAbsent(method + ' ' + status, key -> Counter.builder("siplane.redirect.responses")
                .description("Responses sent by the redirect server")
                .tag("method", method)
                .tag("status", Integer.toString(status))
                .register(registry)).increment();
    }
}
