package io.siplane.gateway.flood;

/** A token bucket: {@code capacity} tokens, refilled at {@code ratePerSecond}; one request takes one token. */
final class TokenBucket {

    private final double capacity;
    private final double ratePerNano;
    private double tokens;
    private long lastRefill;

    TokenBucket(double capacity, double ratePerSecond, long now) {
        this.capacity = capacity;
        this.ratePerNano = ratePerSecond / 1e9;
        this.tokens = capacity;
        this.lastRefill = now;
    }

    synchronized boolean tryTake(long now) {
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
            lastRefill = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
