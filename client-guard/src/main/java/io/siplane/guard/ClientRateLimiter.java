package io.siplane.guard;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A token bucket per client: {@code burst} requests at once, then {@code ratePerSecond}. The one rate limiter of the
 * project: the REST API's per-client limit (gateway and location-service, {@link RateLimitFilter}) and the gateway's SIP
 * flood guard. The caller keys it on the client's real address. Buckets live in a bounded Caffeine cache (least
 * recently used dropped beyond {@code trackedClients}) and are forgotten once idle long enough to have refilled: a new
 * bucket is the same.
 */
public final class ClientRateLimiter {

    private final double ratePerNano;
    private final double capacity;
    private final LongSupplier clock;
    private final Cache<String, Bucket> buckets;

    /**
     * @param nanoClock {@link System#nanoTime} in service; a settable clock in tests
     */
    public ClientRateLimiter(double ratePerSecond, int burst, long trackedClients, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0) || burst < 1 || trackedClients < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate, burst and number of tracked clients");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = burst;
        this.clock = nanoClock;
        long refill = (long) Math.ceil(burst / ratePerSecond * 1e9);
        this.buckets = Caffeine.newBuilder().maximumSize(trackedClients)
                .expireAfterAccess(Duration.ofNanos(Math.max(refill, Duration.ofSeconds(1).toNanos()))).build();
    }

    /** Takes one token for {@code client}: empty when admitted, else the nanoseconds until its next token. */
    public OptionalLong acquire(String client) {
        long now = clock.getAsLong();
        return buckets.get(client, c -> new Bucket(now)).take(now);
    }

    /** Whether {@code client} may go on; takes its token when so. */
    public boolean admit(String client) {
        return acquire(client).isEmpty();
    }

    /** Whole seconds to put in Retry-After (RFC 9110 §10.2.3) for a wait of {@code nanos}: at least 1. */
    public static long retryAfterSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private final class Bucket {
        private double tokens = capacity;
        private long last;

        Bucket(long now) {
            this.last = now;
        }

        synchronized OptionalLong take(long now) {
            if (now > last) {
                tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return OptionalLong.empty();
            }
            return OptionalLong.of((long) Math.ceil((1 - tokens) / ratePerNano));
        }
    }
}
