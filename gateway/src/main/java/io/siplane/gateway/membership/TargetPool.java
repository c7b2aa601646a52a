package io.siplane.gateway.membership;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The replicas of one role. Membership comes from a {@link TargetSpec} resolved again periodically (no restart to add
 * or remove a replica); a replica leaves rotation through probing and its circuit breaker.
 *
 * <p>Choosing: the Call-ID's rendezvous-hash winner among the targets that take new transactions; a CANCEL or ACK may
 * also land on a draining one. A short Call-ID → target memory keeps the messages of a transaction (retransmissions,
 * CANCEL, the ACK of a non-2xx) on the replica that holds it even when membership changes in between.
 */
public final class TargetPool {

    private static final Logger log = LoggerFactory.getLogger(TargetPool.class);

    /**
     * Settings shared by the targets of the pool.
     *
     * @param keepLastFor how long targets that were alive stay in service when none of the pool passes its probes
     */
    public record Settings(int upThreshold, int downThreshold, Duration affinityTtl, long affinityMaxEntries, Duration keepLastFor) {
    }

    private final PoolRole role;
    private final TargetSpec spec;
    private final HostResolver resolver;
    private final CircuitBreakerRegistry breakers;
    private final MeterRegistry meters;
    private final Settings settings;
    private final Map<TargetAddress, Target> targets = new ConcurrentHashMap<>();
    private final Map<TargetAddress, List<Meter>> metersByTarget = new ConcurrentHashMap<>();
    private final Map<TargetAddress, Counter> forwardedByTarget = new ConcurrentHashMap<>();
    private final Map<TargetAddress, Timer> probeLatencyByTarget = new ConcurrentHashMap<>();
    private final Cache<String, TargetAddress> affinity;
    private volatile List<Target> snapshot = List.of();
    private final AtomicBoolean keepingLast = new AtomicBoolean();

    public TargetPool(PoolRole role, TargetSpec spec, HostResolver resolver, CircuitBreakerRegistry breakers,
            MeterRegistry meters, Settings settings) {
        this.role = role;
        this.spec = spec;
        this.resolver = resolver;
        this.breakers = breakers;
        this.meters = meters;
        this.settings = settings;
        this.affinity = Caffeine.newBuilder().expireAfterAccess(settings.affinityTtl())
                .maximumSize(settings.affinityMaxEntries()).build();
        Gauge.builder("siplane.gateway.targets.in.rotation", this, p -> p.snapshot.stream().filter(Target::acceptsNew).count())
                .description("targets taking new transactions").tag("pool", role.tag()).register(meters);
    }

    public PoolRole role() {
        return role;
    }

    /** Every known target, probed or not. */
    public List<Target> targets() {
        return snapshot;
    }

    public Optional<Target> target(TargetAddress address) {
        return Optional.ofNullable(targets.get(address));
    }

    /**
     * Resolves the spec again: new addresses join (unprobed, so not in rotation until their first answer), vanished
     * ones leave. A name that does not resolve keeps the targets it had (a DNS hiccup is not a membership change).
     *
     * @return the addresses that joined
     */
    public synchronized List<TargetAddress> refresh() {
        Set<TargetAddress> resolved = new LinkedHashSet<>();
        Set<TargetAddress> keep = new LinkedHashSet<>();
        for (TargetSpec.Entry entry : spec.entries()) {
            try {
                for (String ip : resolver.resolve(entry.host())) {
                    resolved.add(new TargetAddress(ip, entry.port()));
                }
            } catch (UnknownHostException | RuntimeException e) {
                log.warn("{} targets: cannot resolve {} ({}); keeping its previous addresses", role.tag(), entry.host(), e.toString());
                targets.keySet().stream().filter(a -> a.port() == entry.port()).forEach(keep::add);
            }
        }
        resolved.addAll(keep);
        List<TargetAddress> joined = new ArrayList<>();
        for (TargetAddress a : resolved) {
            if (!targets.containsKey(a)) {
                targets.put(a, newTarget(a));
                joined.add(a);
                log.info("{} target {} joined", role.tag(), a);
            }
        }
        for (TargetAddress a : List.copyOf(targets.keySet())) {
            if (!resolved.contains(a)) {
                targets.remove(a);
                breakers.remove(breakerName(a));
                Optional.ofNullable(metersByTarget.remove(a)).ifPresent(ms -> ms.forEach(meters::remove));
                forwardedByTarget.remove(a);
                probeLatencyByTarget.remove(a);
                log.info("{} target {} left", role.tag(), a);
            }
        }
        snapshot = List.copyOf(targets.values());
        return joined;
    }

    /**
     * The target for a message of the transaction or call {@code callId}: the one it was sent to last, while that one
     * is reachable; else the rendezvous winner among those that take new transactions ({@code newTransaction}) or are
     * merely reachable (CANCEL, ACK: they belong to a transaction already under way).
     */
    public Optional<Target> select(String callId, boolean newTransaction) {
        TargetAddress remembered = affinity.getIfPresent(callId);
        if (remembered != null) {
            Target t = targets.get(remembered);
            if (t != null && t.reachable()) {
                return Optional.of(t);
            }
        }
        Collection<Target> all = snapshot;
        Optional<Target> chosen = RendezvousHash.pick(callId, all, newTransaction ? Target::acceptsNew : Target::reachable)
                .or(() -> lastResort(callId, t -> true));
        chosen.ifPresent(t -> affinity.put(callId, t.address()));
        return chosen;
    }

    /** The rendezvous choice among {@code eligible} targets other than {@code failed}: after a send error. */
    public Optional<Target> selectOtherThan(String callId, Target failed) {
        Optional<Target> chosen = RendezvousHash.pick(callId, snapshot, t -> t != failed && t.acceptsNew())
                .or(() -> lastResort(callId, t -> t != failed));
        chosen.ifPresent(t -> affinity.put(callId, t.address()));
        return chosen;
    }

    /**
     * Never remove the last replica: when no target of the pool takes new transactions, those that were alive within
     * {@code keepLastFor} (answered a probe or relayed an answer) stay in service. Every probe failing at once is more
     * often the gateway starved of CPU or a network blip than every replica dying together (Envoy's panic routing makes
     * the same bet); past {@code keepLastFor} without a sign of life the pool is empty and new requests get 503.
     */
    private Optional<Target> lastResort(String callId, Predicate<Target> eligible) {
        if (snapshot.stream().anyMatch(Target::acceptsNew)) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        Optional<Target> kept = RendezvousHash.pick(callId, snapshot,
                t -> eligible.test(t) && t.keptAsLastResort(now, settings.keepLastFor()));
        if (kept.isPresent() != keepingLast.getAndSet(kept.isPresent())) {
            if (kept.isPresent()) {
                log.warn("{} pool: no target passes its probes; keeping the ones alive within {} in service", role.tag(),
                        settings.keepLastFor());
            } else {
                log.warn("{} pool: no target alive within {}; new requests get 503", role.tag(), settings.keepLastFor());
            }
        }
        return kept;
    }

    /** Whether the pool can take a new transaction: a target in rotation, or one kept as the last resort. */
    public boolean serving() {
        long now = System.nanoTime();
        return snapshot.stream().anyMatch(t -> t.acceptsNew() || t.keptAsLastResort(now, settings.keepLastFor()));
    }

    /** The target at {@code ip} (and {@code port}, when {@code anyPort} is false) answered a request we relayed. */
    public void relayedBy(String ip, int port, boolean anyPort, long nowNanos) {
        for (Target t : snapshot) {
            if (t.address().ip().equals(ip) && (anyPort || t.address().port() == port)) {
                t.relayed(nowNanos);
            }
        }
    }

    public void countForwarded(Target target) {
        Counter c = forwardedByTarget.get(target.address());
        if (c != null) {
            c.increment();
        }
    }

    public void recordProbeLatency(Target target, Duration rtt) {
        Timer t = probeLatencyByTarget.get(target.address());
        if (t != null) {
            t.record(rtt);
        }
    }

    /** For health and logs: each target with its state. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Target t : snapshot) {
            String note = t.reachable() || t.state() != TargetState.UP ? "" : " (breaker open)";
            if (keepingLast.get() && t.keptAsLastResort(System.nanoTime(), settings.keepLastFor())) {
                note += " (kept: last resort)";
            }
            out.put(t.address().toString(), t.state() + note);
        }
        return out;
    }

    private Target newTarget(TargetAddress a) {
        Target t = new Target(role, a, breakers.circuitBreaker(breakerName(a)), settings.upThreshold(), settings.downThreshold());
        Tags tags = Tags.of("pool", role.tag(), "target", a.toString());
        Counter forwarded = Counter.builder("siplane.gateway.forwarded").description("requests forwarded to the target")
                .tags(tags).register(meters);
        Timer latency = Timer.builder("siplane.gateway.probe.latency").description("OPTIONS round trip to the target")
                .tags(tags).register(meters);
        Gauge state = Gauge.builder("siplane.gateway.target.state", t, x -> x.state().code())
                .description("0 unknown, 1 up, 2 draining, 3 down").tags(tags).register(meters);
        forwardedByTarget.put(a, forwarded);
        probeLatencyByTarget.put(a, latency);
        metersByTarget.put(a, List.of(forwarded, latency, state));
        return t;
    }

    private String breakerName(TargetAddress a) {
        return role.tag() + "-" + a;
    }
}
