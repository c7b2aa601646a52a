package io.siplane.redirect;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code siplane.redirect.responses{method,status}}: every answer the redirect server sends. */
@Component
public class RedirectMetrics {

    private final MeterRegistry registry;

    public RedirectMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void answered(String method, int status) {
        Counter.builder("siplane.redirect.responses")
                .description("Responses sent by the redirect server")
                .tag("method", method)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }
}
