package io.siplane.locationservice.security;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A token bucket per client: {@code burst} requests at once, then {@code ratePerSecond}. Buckets live in a bounded
 * Caffeine cache and are forgotten once idle long enough to have refilled (a new bucket is the same).
 */
public final class ClientRateLimiter {

    private final double ratePerNano;
    private final double capacity;
    private final LongSupplier clock;
    private final Cache<String, Bucket> buckets;

    public ClientRateLimiter(double ratePerSecond, int burst, long trackedClients, LongSupplier nanoClock) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = burst;
        this.clock = nanoClock;
        long refill = (long) Math.ceil(burst / ratePerSecond * 1e9);
        this.buckets = Caffeine.newBuilder().maximumSize(trackedClients)
                .expireAfterAccess(Duration.ofNanos(Math.max(refill, Duration.ofSeconds(1).toNanos()))).build();
    }

    /** Takes one token for {@code client}: empty when admitted, else the nanoseconds until the next token. */
    public OptionalLong acquire(String client) {
        long now = clock.getAsLong();
        return buckets.get(client, c -> new Bucket(now)).take(now);
    }

    /** Whole seconds to put in Retry-After for a wait of {@code nanos} (at least 1). */
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
