package io.siplane.gateway.membership;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One replica as the gateway sees it: its probe state (with up/down thresholds, RFC 3261 §11 OPTIONS as the
 * heartbeat, like Kamailio's dispatcher) and a circuit breaker fed by probe outcomes and send failures.
 */
public final class Target {

    private final PoolRole role;
    private final TargetAddress address;
    private final CircuitBreaker breaker;
    private final int upThreshold;
    private final int downThreshold;
    private final long hashSeed;
    private TargetState state = TargetState.UNKNOWN;
    private int consecutiveAnswers;
    private int consecutiveFailures;
    private volatile TargetState published = TargetState.UNKNOWN;
    /** System.nanoTime of the last sign of life (answered probe or relayed answer); meaningful once {@link #everAlive}. */
    private volatile long lastAliveNanos;
    private volatile boolean everAlive;
    private volatile long lastRelayNanos;
    private volatile boolean everRelayed;

    Target(PoolRole role, TargetAddress address, CircuitBreaker breaker, int upThreshold, int downThreshold) {
        this.role = role;
        this.address = address;
        this.breaker = breaker;
        this.upThreshold = upThreshold;
        this.downThreshold = downThreshold;
        this.hashSeed = RendezvousHash.hash(address.toString());
    }

    public PoolRole role() {
        return role;
    }

    public TargetAddress address() {
        return address;
    }

    public TargetState state() {
        return published;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    long hashSeed() {
        return hashSeed;
    }

    /** In rotation for new transactions. */
    public boolean acceptsNew() {
        return published == TargetState.UP && breakerAllows();
    }

    /** Still reachable for what is in flight on it (draining included). */
    public boolean reachable() {
        return (published == TargetState.UP || published == TargetState.DRAINING) && breakerAllows();
    }

    private boolean breakerAllows() {
        CircuitBreaker.State s = breaker.getState();
        return s != CircuitBreaker.State.OPEN && s != CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * A probe was answered. 503 drains the target (RFC 3261 §21.5.4: overloaded or in maintenance); any other status
     * proves it alive. A new target joins on its first answer; one that was down needs {@code upThreshold} answers.
     *
     * @return the state before, when this answer changed it
     */
    public synchronized TargetState probeAnswered(int status, Duration rtt) {
        if (status != 503) {
            alive(System.nanoTime());
        }
        breaker.onSuccess(rtt.toNanos(), TimeUnit.NANOSECONDS);
        consecutiveFailures = 0;
        consecutiveAnswers++;
        TargetState before = state;
        if (status == 503) {
            state = TargetState.DRAINING;
        } else if (state == TargetState.UNKNOWN || state == TargetState.DRAINING || consecutiveAnswers >= upThreshold) {
            state = TargetState.UP;
        }
        return publish(before);
    }

    /** A probe went unanswered; {@code downThreshold} in a row take the target out. */
    public synchronized TargetState probeFailed(Duration waited) {
        breaker.onError(waited.toNanos(), TimeUnit.NANOSECONDS, new ProbeTimeoutException(address));
        consecutiveAnswers = 0;
        consecutiveFailures++;
        TargetState before = state;
        if (state == TargetState.UNKNOWN || consecutiveFailures >= downThreshold) {
            state = TargetState.DOWN;
        }
        return publish(before);
    }

    /**
     * A probe went unanswered. Passive health: when the target relayed an answer at or after {@code relayedSinceNanos}
     * (System.nanoTime; when the probe was sent) it was answering while the probe was out, and the late probe says more
     * about us (a starved gateway, a lost datagram) than about the target, so it is not counted at all. Otherwise
     * {@code downThreshold} in a row take the target out.
     *
     * @return the state before, when this failure changed it
     */
    public synchronized TargetState probeFailed(Duration waited, long relayedSinceNanos) {
        return relayedSince(relayedSinceNanos) ? null : probeFailed(waited);
    }

    /** The target answered a request we relayed (passive health): proof of life as good as an answered probe. */
    public void relayed(long nowNanos) {
        lastRelayNanos = nowNanos;
        everRelayed = true;
        alive(nowNanos);
    }

    /** Whether it relayed an answer at or after {@code sinceNanos} (System.nanoTime). */
    public boolean relayedSince(long sinceNanos) {
        return everRelayed && lastRelayNanos - sinceNanos >= 0;
    }

    /**
     * Whether the pool may keep it in service as a last resort, when no target of the pool takes new transactions:
     * it is out by its probes or its breaker, not draining, and was alive (answered a probe or relayed an answer) within
     * {@code keepFor} before {@code nowNanos}.
     */
    public boolean keptAsLastResort(long nowNanos, Duration keepFor) {
        TargetState s = published;
        return everAlive && (s == TargetState.UP || s == TargetState.DOWN) && nowNanos - lastAliveNanos <= keepFor.toNanos();
    }

    private void alive(long nowNanos) {
        lastAliveNanos = nowNanos;
        everAlive = true;
    }

    /** A message could not be sent to it (e.g. TCP connection refused): counts against its breaker at once. */
    public void sendFailed(Throwable cause) {
        breaker.onError(0, TimeUnit.NANOSECONDS, cause);
    }

    private TargetState publish(TargetState before) {
        published = state;
        return before == state ? null : before;
    }

    @Override
    public String toString() {
        return role.tag() + " " + address + " " + published + " breaker " + breaker.getState();
    }

    /** Recorded in the breaker for an unanswered probe. */
    static final class ProbeTimeoutException extends Exception {
        ProbeTimeoutException(TargetAddress address) {
            super("no answer to OPTIONS from " + address, null, false, false);
        }
    }
}
