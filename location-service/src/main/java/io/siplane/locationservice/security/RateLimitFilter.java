package io.siplane.locationservice.security;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import io.micrometer.core.instrument.Counter;
import io.siplane.locationservice.web.ProblemWriter;

/**
 * Limits every client address to its token bucket ({@link ClientRateLimiter}) before anything else looks at the
 * request, token check included (so guessing tokens is limited too). Over the limit: 429 problem+json with
 * Retry-After (RFC 6585 §4). Behind the gateway every request comes from the gateway's address: this limit then caps
 * the gateway's total, and the gateway limits each of its own clients.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final ClientRateLimiter limiter;
    private final ProblemWriter problems;
    private final Counter limited;
    private volatile long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

    RateLimitFilter(ClientRateLimiter limiter, ProblemWriter problems, Counter limited) {
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
