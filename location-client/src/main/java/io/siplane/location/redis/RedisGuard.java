package io.siplane.location.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.siplane.location.LocationUnavailableException;

/**
 * Resilience4j around every Redis call: a short retry for connection hiccups inside a circuit breaker that
 * fails fast while Redis is away. The per-command time bound is Lettuce's command timeout
 * ({@code spring.data.redis.timeout}); with disconnected behaviour REJECT_COMMANDS nothing queues.
 */
public final class RedisGuard {

    /** Waits out the retry's pause for asynchronous calls (one daemon thread, idle but for a Redis blip). */
    private static final ScheduledExecutorService RETRY_TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "location-store-retry");
        t.setDaemon(true);
        return t;
    });

    private final CircuitBreaker circuitBreaker;
    private final Retry retry;

    public RedisGuard(CircuitBreaker circuitBreaker, Retry retry) {
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
    }

    public static RedisGuard withDefaults(String name) {
        return new RedisGuard(CircuitBreaker.of(name, circuitBreakerConfig()), Retry.of(name, retryConfig()));
    }

    /** Opens when half of the last 20 calls (at least 5) failed for want of Redis; probes again after 2 s. */
    public static CircuitBreakerConfig circuitBreakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(2))
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(RedisGuard::isOutage)
                .build();
    }

    /** One quick second attempt for a dropped connection or a timeout. */
    public static RetryConfig retryConfig() {
        return RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ofMillis(25))
                .retryOnException(RedisGuard::isOutage)
                .build();
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    public Retry retry() {
        return retry;
    }

    public <T> T call(String operation, Supplier<T> op) {
        Supplier<T> guarded = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker, op));
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new LocationUnavailableException("location store unavailable (circuit open) during " + operation, e);
        } catch (RuntimeException e) {
            if (isOutage(e)) {
                throw new LocationUnavailableException("location store unavailable during " + operation, e);
            }
            throw e;
        }
    }

    /**
     * {@link #call} for a command sent asynchronously: the same circuit breaker and retry, and the same
     * {@link LocationUnavailableException} (as the stage's failure) when Redis is away.
     */
    public <T> CompletionStage<T> callAsync(String operation, Supplier<CompletionStage<T>> op) {
        CompletionStage<T> guarded;
        try {
            guarded = Retry.decorateCompletionStage(retry, RETRY_TIMER,
                    CircuitBreaker.decorateCompletionStage(circuitBreaker, op)).get();
        } catch (RuntimeException e) {
            guarded = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        guarded.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof CallNotPermittedException) {
                result.completeExceptionally(new LocationUnavailableException(
                        "location store unavailable (circuit open) during " + operation, cause));
            } else if (isOutage(cause)) {
                result.completeExceptionally(new LocationUnavailableException(
                        "location store unavailable during " + operation, cause));
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionFailureException || t instanceof QueryTimeoutException
                    || t instanceof io.lettuce.core.RedisConnectionException
                    || t instanceof io.lettuce.core.RedisCommandTimeoutException
                    || t instanceof java.io.IOException
                    || (t instanceof io.lettuce.core.RedisException && t.getMessage() != null
                        // "Connection disconnected": commands in flight when Redis went away (seen when it is killed)
                        && (t.getMessage().contains("not connected") || t.getMessage().contains("Connection closed")
                            || t.getMessage().contains("Connection disconnected") || t.getMessage().contains("LOADING")))) {
                return true;
            }
            if (t instanceof RedisSystemException && t.getCause() == null) {
                return true;
            }
        }
        return false;
    }
}
