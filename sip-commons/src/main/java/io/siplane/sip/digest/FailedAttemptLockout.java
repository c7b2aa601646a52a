package io.siplane.sip.digest;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Stops online password guessing: after {@code maxFailures} wrong credentials from one source address within
 * {@code window}, that source is refused for {@code coolDown}. Counts live in bounded per-replica Caffeine caches.
 */
public final class FailedAttemptLockout {

    private final int maxFailures;
    private final Cache<String, Integer> failures;
    private final Cache<String, Boolean> locked;

    public FailedAttemptLockout(int maxFailures, Duration window, Duration coolDown, long maximumSources) {
        this.maxFailures = maxFailures;
        // the window starts at the first failure: later failures do not extend it
        this.failures = Caffeine.newBuilder()
                .expireAfter(Expiry.creating((String k, Integer v) -> window))
                .maximumSize(maximumSources)
                .build();
        this.locked = Caffeine.newBuilder()
                .expireAfterWrite(coolDown)
                .maximumSize(maximumSources)
                .build();
    }

    public boolean isLockedOut(String source) {
        return locked.getIfPresent(source) != null;
    }

    /** Counts a failure; true when it locks the source out. */
    public boolean recordFailure(String source) {
        int count = failures.asMap().merge(source, 1, Integer::sum);
        if (count >= maxFailures) {
            locked.put(source, Boolean.TRUE);
            failures.invalidate(source);
            return true;
        }
        return false;
    }

    /** A success forgets earlier failures of that source. */
    public void recordSuccess(String source) {
        failures.invalidate(source);
    }
}
