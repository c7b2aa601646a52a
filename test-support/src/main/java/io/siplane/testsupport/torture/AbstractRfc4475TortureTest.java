package io.siplane.testsupport.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * RFC 4475 and RFC 5118 against one SIP service, over UDP and over TCP: one dynamic test per message and transport
 * (RFC 4475 §3.1.1: well-formed messages are processed normally; §3.1.2: malformed ones get 400 or are dropped; never
 * a 500, a leaked exception or a broken header line), then the service must still answer OPTIONS over both
 * transports, keep every stack thread alive and report itself live.
 *
 * <p>A service's test extends this, starts the real service in {@link #start()} and may add what its role demands
 * ({@link #roleExpectations()}). A summary table goes to {@code target/torture/<service>.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class AbstractRfc4475TortureTest {

    private SipServiceUnderTest service;
    private Set<Thread> stackThreads;
    private final List<TortureResult> results = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> judged = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts the service under test (or returns one the module's bad-input tests share). */
    protected abstract SipServiceUnderTest start();

    /** Stops the service if this class started it (not when it is shared with other test classes). */
    protected void stop() {
    }

    /**
     * Final statuses the service's role requires for some messages, on top of the RFC's rule: e.g. a registrar
     * challenges the well-formed REGISTERs ({@code "cparam01" -> Set.of(401)}). "dropped" is not allowed for them.
     */
    protected Map<String, Set<Integer>> roleExpectations() {
        return Map.of();
    }

    /**
     * Messages this service is known to handle against the RFC's rule, with why: their tests are reported as aborted
     * (not passed) with that text, as long as the service's answer is still clean (no 500, no leak). A listed message
     * that passes fails its test, so the list shrinks when a service is fixed.
     */
    protected Map<String, String> knownDeviations() {
        return Map.of();
    }

    /** The messages sent; all of RFC 4475 and RFC 5118 unless a service has a documented reason. */
    protected List<TortureMessage> messages() {
        return TortureMessages.all();
    }

    @BeforeAll
    final void startService() {
        service = start();
        stackThreads = ServingThreads.of(service.sipPort());
        assertThat(stackThreads).as("stack threads of the service on port %d", service.sipPort()).isNotEmpty();
    }

    @AfterAll
    final void stopService() {
        try {
            writeSummary();
        } finally {
            stop();
        }
    }

    protected SipServiceUnderTest service() {
        return service;
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyTortureMessageOverUdp() {
        return dynamicTests("UDP");
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> everyTortureMessageOverTcp() {
        return dynamicTests("TCP");
    }

    @Test
    @Order(3)
    void afterwardsTheServiceAnswersOptionsOverBothTransportsWithEveryStackThreadAlive() {
        assertThat(Liveness.answers(service.client(), "UDP", service.domain(), Duration.ofSeconds(5)))
                .as("OPTIONS over UDP answered").isTrue();
        assertThat(Liveness.answers(service.client(), "TCP", service.domain(), Duration.ofSeconds(5)))
                .as("OPTIONS over TCP answered").isTrue();
        Set<Thread> now = ServingThreads.of(service.sipPort());
        assertThat(stackThreads).as("stack threads before: %s; alive now: %s", ServingThreads.names(stackThreads),
                ServingThreads.names(now)).allMatch(Thread::isAlive);
        assertThat(service.liveness()).as("liveness").startsWith("200 ");
    }

    private Stream<DynamicTest> dynamicTests(String transport) {
        List<TortureResult> run = TortureRun.run(service.client(), service.domain(), transport, messages());
        results.addAll(run);
        Map<String, Set<Integer>> role = roleExpectations();
        Map<String, String> deviations = knownDeviations();
        return run.stream().map(r -> DynamicTest.dynamicTest(
                r.message().name() + " (" + r.message().source() + ", " + r.message().expectation() + ") over " + transport,
                () -> {
                    String name = r.message().name();
                    Set<Integer> required = role.get(name);
                    boolean ok = required == null ? r.verdict().ok()
                            : r.finalStatus().filter(required::contains).isPresent() && hygienic(r);
                    String why = required == null ? r.describe()
                            : r.describe() + "; the " + service.name() + " must answer one of " + required;
                    String key = name + "/" + r.transport();
                    judged.put(key, ok ? "ok" : "FAIL " + why);
                    if (deviations.containsKey(name) && !ok) {
                        judged.put(key, "KNOWN " + deviations.get(name));
                    }
                    if (deviations.containsKey(name)) {
                        assertThat(ok).as("%s is listed as a known deviation but now behaves: remove it from the list", why).isFalse();
                        assertThat(hygienic(r) && !r.finalStatus().filter(s -> s == 500).isPresent())
                                .as("even a known deviation answers cleanly: %s", why).isTrue();
                        Assumptions.abort("known deviation of " + service.name() + ": " + deviations.get(name) + " (" + why + ")");
                    }
                    assertThat(ok).as(why).isTrue();
                }));
    }

    private static boolean hygienic(TortureResult r) {
        return r.exchange().received().stream().allMatch(p -> WireHygiene.problem(p).isEmpty());
    }

    private void writeSummary() {
        if (service == null || results.isEmpty()) {
            return;
        }
        List<String> order = messages().stream().map(TortureMessage::name).toList();
        String table = results.stream()
                .sorted(java.util.Comparator.comparing((TortureResult r) -> order.indexOf(r.message().name()))
                        .thenComparing(TortureResult::transport, java.util.Comparator.reverseOrder()))
                .map(r -> String.format("%-30s %-18s %-10s %-4s %-8s %s", r.message().name(), r.message().source(),
                        r.message().expectation(), r.transport(), r.outcome(), judged.getOrDefault(r.message().name() + "/" + r.transport(), "not run")))
                .collect(Collectors.joining("\n"));
        long failures = judged.values().stream().filter(v -> v.startsWith("FAIL")).count();
        long known = judged.values().stream().filter(v -> v.startsWith("KNOWN")).count();
        String text = service.name() + ": " + results.size() + " exchanges, " + failures + " failed, " + known
                + " known deviations\n" + table + "\n";
        try {
            Path dir = Path.of("target", "torture");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(service.name() + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
