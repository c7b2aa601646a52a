package io.siplane.gateway.membership;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.siplane.sip.Transport;

/**
 * Keeps the pools current: resolves their specs every {@code resolveInterval} and probes every target every probe
 * {@code interval} (a new target at once). Starts after the SIP stack (probes need it), stops before it.
 */
public final class Membership implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final List<TargetPool> pools;
    private final Prober prober;
    private final Transport targetTransport;
    private final Duration resolveInterval;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final Set<TargetAddress> probing = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService scheduler;
    private volatile Set<String> targetIps = Set.of();
    private volatile Set<TargetAddress> targetAddresses = Set.of();

    public Membership(List<TargetPool> pools, Prober prober, Transport targetTransport, Duration resolveInterval,
            Duration probeInterval, Duration probeTimeout) {
        this.pools = List.copyOf(pools);
        this.targetTransport = targetTransport;
        this.prober = prober;
        this.resolveInterval = resolveInterval;
        this.probeInterval = probeInterval;
        this.probeTimeout = probeTimeout;
    }

    public List<TargetPool> pools() {
        return pools;
    }

    /**
     * Whether a packet from {@code ip}:{@code port} over {@code transport} comes from a replica. Replicas talk to the
     * gateway over the target transport: over UDP they send from their SIP port, so address and port must match; over
     * TCP they connect from any port, so the address decides.
     */
    public boolean isTarget(Transport transport, String ip, int port) {
        if (transport != targetTransport) {
            return false;
        }
        return transport == Transport.UDP ? targetAddresses.contains(new TargetAddress(ip, port)) : targetIps.contains(ip);
    }

    /**
     * Passive health: a replica at {@code ip}:{@code port} answered a request we relayed. Over UDP it answers from its
     * SIP port; over TCP from any port, so the address decides.
     */
    public void answeredBy(Transport transport, String ip, int port) {
        if (transport != targetTransport) {
            return;
        }
        long now = System.nanoTime();
        for (TargetPool pool : pools) {
            pool.relayedBy(ip, port, transport != Transport.UDP, now);
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-membership");
            t.setDaemon(true);
            return t;
        });
        resolveAndProbeNewcomers();
        scheduler.scheduleWithFixedDelay(this::resolveAndProbeNewcomers, resolveInterval.toMillis(), resolveInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::probeAll, probeInterval.toMillis(), probeInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** After the SIP endpoint (which starts at DEFAULT_PHASE - 1000), before it on the way down. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 500;
    }

    /** Resolves every pool now and probes the targets that joined: for start-up and tests. */
    public void resolveAndProbeNewcomers() {
        try {
            for (TargetPool pool : pools) {
                for (TargetAddress joined : pool.refresh()) {
                    pool.target(joined).ifPresent(t -> probe(pool, t));
                }
            }
            targetAddresses = pools.stream().flatMap(p -> p.targets().stream()).map(Target::address)
                    .collect(Collectors.toUnmodifiableSet());
            targetIps = targetAddresses.stream().map(TargetAddress::ip).collect(Collectors.toUnmodifiableSet());
        } catch (RuntimeException e) {
            log.warn("resolving targets failed", e);
        }
    }

    void probeAll() {
        try {
            for (TargetPool pool : pools) {
                for (Target t : pool.targets()) {
                    probe(pool, t);
                }
            }
        } catch (RuntimeException e) {
            log.warn("probing targets failed", e);
        }
    }

    private void probe(TargetPool pool, Target target) {
        if (!probing.add(target.address())) {
            return; // the previous probe is still out (cannot happen while timeout <= interval, but never pile up)
        }
        long started = System.nanoTime();
        prober.probe(target.address())
                .orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((status, error) -> {
                    probing.remove(target.address());
                    Duration rtt = Duration.ofNanos(System.nanoTime() - started);
                    TargetState before;
                    if (error == null) {
                        pool.recordProbeLatency(target, rtt);
                        before = target.probeAnswered(status, rtt);
                    } else {
                        // passive health: an answer relayed while this probe was out proves the target alive (an
                        // answer from before the probe would not: a replica killed under traffic would stay in)
                        before = target.probeFailed(rtt, started);
                    }
                    if (before != null) {
                        log.info("{} target {} {} -> {}", pool.role().tag(), target.address(), before, target.state());
                    }
                });
    }
}
