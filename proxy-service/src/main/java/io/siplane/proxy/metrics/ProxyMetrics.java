package io.siplane.proxy.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The proxy's meters (exposed at {@code /actuator/prometheus}):
 * <ul>
 *   <li>{@code siplane.proxy.requests{method,status}} — requests by method and the final status the proxy sent or
 *       forwarded upstream ({@code status="relayed"} for requests forwarded statelessly, such as in-dialog ones);</li>
 *   <li>{@code siplane.proxy.forks{method}} — requests sent to more than one contact;</li>
 *   <li>{@code siplane.proxy.branches{method,outcome}} — how each branch ended: {@code 2xx}…{@code 6xx},
 *       {@code timeout}, {@code transport-error};</li>
 *   <li>{@code siplane.proxy.session.setup} — INVITE received to first 2xx forwarded;</li>
 *   <li>{@code siplane.proxy.transactions.active} — INVITE transactions in progress on this replica.</li>
 * </ul>
 * Methods outside RFC 3261 and its common extensions are counted as {@code OTHER} to bound the tag values.
 */
public class ProxyMetrics {

    private static final Set<String> KNOWN_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",
            "MESSAGE", "SUBSCRIBE", "NOTIFY", "REFER", "INFO", "UPDATE", "PRACK", "PUBLISH");

    private final MeterRegistry registry;
    private final Timer sessionSetup;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sessionSetup = Timer.builder("siplane.proxy.session.setup")
                .description("Time from an INVITE's arrival to the first 2xx forwarded to the caller")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** The gauge of INVITE transactions in progress, read from {@code active}. */
    public void watchActiveTransactions(Supplier<Number> active) {
        Gauge.builder("siplane.proxy.transactions.active", active)
                .description("INVITE server transactions this replica is forking")
                .register(registry);
    }

    public void completed(String method, int status) {
        requests(method, Integer.toString(status)).increment();
    }

    public void relayed(String method) {
        requests(method, "relayed").increment();
    }

    public void forked(String method) {
        String m = method(method);
        counters.computeIfAbsent("forks " + m, k -> Counter.builder("siplane.proxy.forks")
                .description("Requests forked to more than one contact").tag("method", m).register(registry)).increment();
    }

    public void branchEnded(String method, String outcome) {
        String m = method(method);
        counters.computeIfAbsent("branches " + m + " " + outcome, k -> Counter.builder("siplane.proxy.branches")
                .description("Branches of forwarded requests by how they ended").tag("method", m).tag("outcome", outcome)
                .register(registry)).increment();
    }

    public void sessionSetUp(Duration elapsed) {
        sessionSetup.record(elapsed);
    }

    private Counter requests(String method, String status) {
        String m = method(method);
        return counters.computeIfAbsent("requests " + m + " " + status, k -> Counter.builder("siplane.proxy.requests")
                .description("Requests by method and final status").tag("method", m).tag("status", status).register(registry));
    }

    private static String method(String method) {
        return KNOWN_METHODS.contains(method) ? method : "OTHER";
    }
}
