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

    /** Starts the service under test. */
    protected abstract SipServiceUnderTest start();

    protected abstract void stop();

    /**
     * Final statuses the service's role requires for some messages, on top of the RFC's rule: e.g. a registrar
     * challenges the well-formed REGISTERs ({@code "cparam01" -> Set.of(401)}). "dropped" is not allowed for them.
     */
    protected Map<String, Set<Integer>> roleExpectations() {
        return Map.of();
    }

    /** The messages sent; all of RFC 4475 and RFC 5118 unless a service has a documented reason. */
    protected List<TortureMessage> messages() {
        return TortureMessages.all();
    }

    @BeforeAll
    final void startService() {
        service = start();
        stackThreads = StackThreads.of(service.sipPort());
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
        Set<Thread> now = StackThreads.of(service.sipPort());
        assertThat(stackThreads).as("stack threads before: %s; alive now: %s", StackThreads.names(stackThreads),
                StackThreads.names(now)).allMatch(Thread::isAlive);
        assertThat(service.liveness()).as("liveness").startsWith("200 ");
    }

    private Stream<DynamicTest> dynamicTests(String transport) {
        List<TortureResult> run = TortureRun.run(service.client(), service.domain(), transport, messages());
        results.addAll(run);
        Map<String, Set<Integer>> role = roleExpectations();
        return run.stream().map(r -> DynamicTest.dynamicTest(
                r.message().name() + " (" + r.message().source() + ", " + r.message().expectation() + ") over " + transport,
                () -> {
                    assertThat(r.verdict().ok()).as(r.describe()).isTrue();
                    Set<Integer> required = role.get(r.message().name());
                    if (required != null) {
                        assertThat(r.finalStatus()).as("%s: the %s role requires one of %s", r.describe(), service.name(), required)
                                .isPresent().get().isIn(required);
                    }
                }));
    }

    private void writeSummary() {
        if (service == null || results.isEmpty()) {
            return;
        }
        String table = results.stream()
                .sorted((a, b) -> a.message().name().equals(b.message().name()) ? a.transport().compareTo(b.transport()) : 0)
                .map(r -> String.format("%-30s %-18s %-10s %-4s %-8s %s", r.message().name(), r.message().source(),
                        r.message().expectation(), r.transport(), r.outcome(), r.verdict().ok() ? "ok" : "FAIL " + r.verdict().reason()))
                .collect(Collectors.joining("\n"));
        long failures = results.stream().filter(r -> !r.verdict().ok()).count();
        String text = service.name() + ": " + results.size() + " exchanges, " + failures + " failed\n" + table + "\n";
        try {
            Path dir = Path.of("target", "torture");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(service.name() + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
