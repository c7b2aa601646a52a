package io.siplane.sip.digest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nonce-counts checked on this replica first, then in the {@link SharedNonceCountStore}: a replay this replica saw
 * costs no round trip, and one another replica saw is refused by the store.
 *
 * <p>While the store cannot answer, the replica's own check decides (replay protection is then per replica again,
 * as before the store existed) and a WARN is logged at most once a minute: the proxy keeps authenticating callers
 * whose HA1 it has cached through a Redis outage, and the registrar cannot store a binding then anyway.
 */
public final class SharedNonceCounts implements NonceCounts {

    private static final Logger log = LoggerFactory.getLogger(SharedNonceCounts.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final NonceCountTracker local;
    private final SharedNonceCountStore shared;
    private final Duration keepFor;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /** {@code keepFor}: at least the nonce lifetime; after that a nonce is stale and its count no longer matters. */
    public SharedNonceCounts(NonceCountTracker local, SharedNonceCountStore shared, Duration keepFor) {
        this.local = local;
        this.shared = shared;
        this.keepFor = keepFor;
    }

    @Override
    public boolean accept(String nonce, long nc, String requestKey) {
        if (!local.accept(nonce, nc, requestKey)) {
            return false;
        }
        try {
            return shared.accept(nonce, nc, requestKey, keepFor);
        } catch (RuntimeException e) {
            warnUnshared(e);
            return true;
        }
    }

    @Override
    public CompletionStage<Boolean> acceptAsync(String nonce, long nc, String requestKey) {
        if (!local.accept(nonce, nc, requestKey)) {
            return CompletableFuture.completedFuture(false);
        }
        return shared.acceptAsync(nonce, nc, requestKey, keepFor).exceptionally(e -> {
            warnUnshared(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            return true;
        });
    }

    private void warnUnshared(Throwable e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("Shared nonce-counts unavailable ({}): replays are checked per replica until the store answers again",
                    e.getMessage());
        }
    }
}
