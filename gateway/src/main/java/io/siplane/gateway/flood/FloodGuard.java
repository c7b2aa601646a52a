package io.siplane.gateway.flood;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.guard.ClientRateLimiter;
import io.siplane.sip.net.Cidr;

/**
 * Per-source-address request limiting, like Kamailio's pike: a token bucket per source IP (the project's one
 * {@link ClientRateLimiter}, the REST API's too); requests beyond it are dropped unanswered (answering a flood only
 * feeds it) and counted. Sources in the allow-list are never limited (nor are the replicas: the caller does not ask
 * for them).
 */
public final class FloodGuard {

    private static final Logger log = LoggerFactory.getLogger(FloodGuard.class);
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final boolean enabled;
    private final double ratePerSecond;
    private final int burst;
    private final List<Cidr> allow;
    private final LongSupplier clock;
    private final ClientRateLimiter buckets;
    private final Counter dropped;
    private volatile long lastWarning;

    public FloodGuard(boolean enabled, double ratePerSecond, int burst, List<String> allow, long trackedSources,
            MeterRegistry meters, LongSupplier clock) {
        this.enabled = enabled;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.allow = allow.stream().map(Cidr::parse).toList();
        this.clock = clock;
        this.buckets = new ClientRateLimiter(ratePerSecond, burst, trackedSources, clock);
        this.dropped = Counter.builder("siplane.gateway.flood.dropped")
                .description("requests dropped because their source exceeded its rate").register(meters);
    }

    /** Whether a request from {@code sourceIp} may go on; when not, it has been counted. */
    public boolean admit(String sourceIp) {
        if (!enabled || allowListed(sourceIp)) {
            return true;
        }
        if (buckets.admit(sourceIp)) {
            return true;
        }
        dropped.increment();
        long now = clock.getAsLong();
        if (now - lastWarning > WARN_EVERY_NANOS) {
            lastWarning = now;
            log.warn("source {} exceeds {} requests/s (burst {}): dropping its excess ({} dropped in total)", sourceIp,
                    ratePerSecond, burst, (long) dropped.count());
        }
        return false;
    }

    public double droppedCount() {
        return dropped.count();
    }

    private boolean allowListed(String ip) {
        if (allow.isEmpty()) {
            return false;
        }
        try {
            byte[] address = InetAddress.getByName(ip).getAddress();
            return allow.stream().anyMatch(c -> c.contains(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
