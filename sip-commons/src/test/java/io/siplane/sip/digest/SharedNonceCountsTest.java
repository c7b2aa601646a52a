package io.siplane.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The order of the two checks and what happens while the shared store cannot answer (the store is a stand-in). */
class SharedNonceCountsTest {

    private static final Duration KEEP = Duration.ofMinutes(6);

    private final NonceCountTracker local = new NonceCountTracker(Duration.ofMinutes(5), 1000);
    private final AtomicInteger storeCalls = new AtomicInteger();

    @Test
    void aReplayThisReplicaSawIsRefusedWithoutAskingTheStore() {
        SharedNonceCounts counts = new SharedNonceCounts(local, (nonce, nc, key, keep) -> storeCalls.incrementAndGet() > 0, KEEP);

        assertThat(counts.accept("n", 1, "call 1")).isTrue();
        assertThat(counts.accept("n", 1, "call 2")).isFalse();

        assertThat(storeCalls).hasValue(1);
    }

    @Test
    void aCountAnotherReplicaUsedIsRefusedByTheStore() {
        SharedNonceCounts counts = new SharedNonceCounts(local, (nonce, nc, key, keep) -> false, KEEP);

        assertThat(counts.accept("n", 1, "call 2")).isFalse();
    }

    @Test
    void whileTheStoreCannotAnswerThisReplicasOwnCheckDecides() {
        SharedNonceCounts counts = new SharedNonceCounts(local, (nonce, nc, key, keep) -> {
            throw new IllegalStateException("store unavailable");
        }, KEEP);

        assertThat(counts.accept("n", 1, "call 1")).isTrue();
        assertThat(counts.accept("n", 1, "call 1")).as("retransmission").isTrue();
        assertThat(counts.accept("n", 1, "call 2")).as("replay").isFalse();
        assertThat(counts.accept("n", 2, "call 3")).isTrue();
    }

    @Test
    void theStoreKeepsACountForTheTimeItIsGiven() {
        Duration[] asked = new Duration[1];
        SharedNonceCounts counts = new SharedNonceCounts(local, (nonce, nc, key, keep) -> {
            asked[0] = keep;
            return true;
        }, KEEP);

        counts.accept("n", 1, "call 1");

        assertThat(asked[0]).isEqualTo(KEEP);
    }
}
