package io.siplane.gateway.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The REST API's per-client rate limit at the edge: a token bucket per client address, checked before the token
 * (so guessing tokens is limited too). Over it: 429 problem+json with Retry-After (RFC 6585 §4), counted in
 * {@code siplane.gateway.http.rate.limited}. location-service sees every request as coming from the gateway, so this
 * is where each client is told apart.
 */
final class ClientRateLimit implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final Logger log = LoggerFactory.getLogger(ClientRateLimit.class);
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final double ratePerNano;
    private final double capacity;
    private final LongSupplier clock;
    private final Cache<String, Bucket> buckets;
    private final Counter limited;
    private volatile long lastWarning;

    ClientRateLimit(HttpEdgeProperties.RateLimit limits, MeterRegistry meters, LongSupplier nanoClock) {
        this.ratePerNano = limits.requestsPerSecond() / 1e9;
        this.capacity = limits.burst();
        this.clock = nanoClock;
        long refill = (long) Math.ceil(limits.burst() / limits.requestsPerSecond() * 1e9);
        // a bucket idle long enough to have refilled is the same as a new one: forget it
        this.buckets = Caffeine.newBuilder().maximumSize(limits.trackedClients())
                .expireAfterAccess(Duration.ofNanos(Math.max(refill, Duration.ofSeconds(1).toNanos()))).build();
        this.limited = Counter.builder("siplane.gateway.http.rate.limited")
                .description("REST requests answered 429 because their client exceeded its rate").register(meters);
        this.lastWarning = nanoClock.getAsLong() - WARN_EVERY_NANOS;
    }

    @Override
    public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        String client = request.remoteAddress().map(InetSocketAddress::getAddress).map(a -> a.getHostAddress()).orElse("unknown");
        OptionalLong wait = acquire(client);
        if (wait.isEmpty()) {
            return next.handle(request);
        }
        limited.increment();
        long now = clock.getAsLong();
        if (now - lastWarning > WARN_EVERY_NANOS) {
            lastWarning = now;
            log.warn("REST client {} exceeds its rate limit: answering 429 ({} in total; logged at most every 10 s)", client,
                    (long) limited.count());
        }
        long retryAfter = Math.max(1, (wait.getAsLong() + 999_999_999L) / 1_000_000_000L);
        return Problems.response(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", "too many requests from this client",
                request.path(), b -> b.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)));
    }

    /** Empty when admitted, else the nanoseconds until the client's next token. */
    OptionalLong acquire(String client) {
        long now = clock.getAsLong();
        return buckets.get(client, c -> new Bucket(now)).take(now);
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
