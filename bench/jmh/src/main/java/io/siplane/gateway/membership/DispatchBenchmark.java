package io.siplane.gateway.membership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The gateway's choice of a proxy replica for a request, over 1, 2 and 3 replicas in rotation:
 * {@code rendezvousPick} is the Call-ID hash alone; {@code selectNewCall} the whole {@link TargetPool#select} for a
 * Call-ID seen for the first time (affinity miss, hash, affinity entry written); {@code selectKnownCall} for a later
 * message of the same call (affinity hit).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DispatchBenchmark {

    static final int KNOWN_CALLS = 10_000;

    @Param({"1", "2", "3"})
    int replicas;

    TargetPool pool;
    List<Target> targets;
    String[] knownCalls = new String[KNOWN_CALLS];

    @Setup(Level.Trial)
    public void setUp() {
        List<String> ips = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            ips.add("10.0.0." + i);
        }
        pool = new TargetPool(PoolRole.PROXY, TargetSpec.parse("proxies:5080", 5080), host -> ips,
                CircuitBreakerRegistry.ofDefaults(), new SimpleMeterRegistry(),
                new TargetPool.Settings(1, 1, Duration.ofSeconds(64), 200_000, Duration.ofSeconds(30)));
        pool.refresh();
        for (Target t : pool.targets()) {
            t.probeAnswered(200, Duration.ofMillis(1));
        }
        targets = pool.targets();
        if (targets.stream().filter(Target::acceptsNew).count() != replicas) {
            throw new IllegalStateException("targets not in rotation: " + targets);
        }
        for (int i = 0; i < KNOWN_CALLS; i++) {
            knownCalls[i] = callId(i);
            pool.select(knownCalls[i], true);
        }
    }

    static String callId(long n) {
        return n + "-4711@192.0.2.10";
    }

    @State(Scope.Thread)
    public static class Calls {
        long fresh = 1_000_000_000L * (Thread.currentThread().getId() + 1);
        int known;
    }

    @Benchmark
    public Optional<Target> rendezvousPick(Calls calls) {
        return RendezvousHash.pick(callId(++calls.fresh), targets, Target::acceptsNew);
    }

    @Benchmark
    public Optional<Target> selectNewCall(Calls calls) {
        return pool.select(callId(++calls.fresh), true);
    }

    @Benchmark
    public Optional<Target> selectKnownCall(Calls calls) {
        calls.known = (calls.known + 1) % KNOWN_CALLS;
        return pool.select(knownCalls[calls.known], false);
    }
}
