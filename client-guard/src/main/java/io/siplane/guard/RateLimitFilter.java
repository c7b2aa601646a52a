package io.siplane.guard;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import io.micrometer.core.instrument.Counter;

/**
 * Limits every client address to its token bucket ({@link ClientRateLimiter}). Registered before the token check
 * ({@link BearerTokenFilter}), so guessing tokens is limited too. Over the limit: 429 problem+json with Retry-After
 * (RFC 6585 §4), counted. The client is the connection's address: the gateway is the edge clients connect to; behind
 * it location-service sees the gateway's address, so there the limit caps the gateway's total.
 */
public final class RateLimitFilter extends ScopedFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final ClientRateLimiter limiter;
    private final ProblemWriter problems;
    private final Counter limited;
    private volatile long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

    /**
     * @param unlimited the requests this limit does not apply to
     * @param limited   counts the requests answered 429
     */
    public RateLimitFilter(ClientRateLimiter limiter, Predicate<HttpServletRequest> unlimited, ProblemWriter problems,
            Counter limited) {
        super(unlimited);
        this.limiter = limiter;
        this.problems = problems;
        this.limited = limited;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = request.getRemoteAddr();
        OptionalLong wait = limiter.acquire(client);
        if (wait.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        limited.increment();
        long now = System.nanoTime();
        if (now - lastWarning > WARN_EVERY_NANOS) {
            lastWarning = now;
            log.warn("client {} exceeds the API rate limit: answering 429 ({} in total; logged at most every 10 s)", client,
                    (long) limited.count());
        }
        problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests from this client; retry later.",
                Map.of(HttpHeaders.RETRY_AFTER, Long.toString(ClientRateLimiter.retryAfterSeconds(wait.getAsLong()))));
    }
}
