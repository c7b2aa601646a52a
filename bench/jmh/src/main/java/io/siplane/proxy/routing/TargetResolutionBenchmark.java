package io.siplane.proxy.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.siplane.bench.BenchRedis;
import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import io.siplane.location.ReceivedFrom;
import io.siplane.location.RegisterUpdate;
import io.siplane.location.cache.CachedBindingLookup;

/**
 * The proxy's target resolution (RFC 3261 §16.5) through location-client's near-cache, as the proxy builds it:
 * {@code cacheHit} answers from memory; {@code cacheMiss} forgets the AOR first (as a change event does), so the
 * lookup goes to Redis (one HGETALL) and decodes the bindings.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TargetResolutionBenchmark {

    static final int AORS = 1000;

    BenchRedis redis;
    CachedBindingLookup cache;
    TargetResolver resolver;
    AddressOfRecord[] aors = new AddressOfRecord[AORS];

    @Setup(Level.Trial)
    public void setUp() {
        redis = new BenchRedis();
        for (int i = 0; i < AORS; i++) {
            aors[i] = AddressOfRecord.of(String.format("jmhcallee%06d", i), "siplane.test");
            // as registered through the gateway: a Path, the client's source address
            ContactUpdate contact = new ContactUpdate("sip:" + aors[i].user() + "@127.0.0.1:7070;transport=UDP", 3600,
                    Optional.empty(), List.of("<sip:dGVzdA@127.0.0.1:5060;transport=udp;lr>"),
                    Optional.of(new ReceivedFrom("udp", "127.0.0.1", 7070)), Optional.of("jmh"), Optional.empty(),
                    OptionalInt.empty());
            redis.store().register(RegisterUpdate.of(aors[i], "jmh-" + i, 1, List.of(contact)));
        }
        cache = new CachedBindingLookup(redis.store(), Clock.systemUTC(), Duration.ofHours(1), Duration.ofHours(1), 100_000);
        resolver = new TargetResolver(cache);
        for (AddressOfRecord aor : aors) {
            resolver.resolve(aor);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        redis.close();
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;

        AddressOfRecord aor(TargetResolutionBenchmark b) {
            next = (next + 1) % AORS;
            return b.aors[next];
        }
    }

    @Benchmark
    public Resolution cacheHit(Cursor cursor) {
        return resolver.resolve(cursor.aor(this));
    }

    @Benchmark
    public Resolution cacheMiss(Cursor cursor) {
        AddressOfRecord aor = cursor.aor(this);
        cache.invalidate(aor);
        return resolver.resolve(aor);
    }
}
