package io.siplane.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Lockout per user and client address, and per address across users: no client can lock another out. */
class FailedAttemptLockoutTest {

    private final FailedAttemptLockout lockout = new FailedAttemptLockout(3, 6, Duration.ofMinutes(1), Duration.ofMinutes(5), 1000);

    @Test
    void failuresForOneUserFromOneAddressLockThatPairOnly() {
        assertThat(lockout.recordFailure("alice", "10.0.0.31")).isFalse();
        assertThat(lockout.recordFailure("alice", "10.0.0.31")).isFalse();
        assertThat(lockout.recordFailure("alice", "10.0.0.31")).isTrue();

        assertThat(lockout.isLockedOut("alice", "10.0.0.31")).isTrue();
        assertThat(lockout.isLockedOut("alice", "10.0.0.32")).as("the same user from another address").isFalse();
        assertThat(lockout.isLockedOut("bob", "10.0.0.31")).as("another user from the same address").isFalse();
        assertThat(lockout.isLockedOut("10.0.0.31")).as("the address as a whole").isFalse();
    }

    @Test
    void anAddressWalkingTheUserListIsLockedAsAWholeAfterTheLargerThreshold() {
        for (int i = 0; i < 5; i++) {
            assertThat(lockout.recordFailure("user" + i, "10.0.0.33")).isFalse();
        }
        assertThat(lockout.isLockedOut("10.0.0.33")).isFalse();

        assertThat(lockout.recordFailure("user5", "10.0.0.33")).isTrue();

        assertThat(lockout.isLockedOut("10.0.0.33")).isTrue();
        assertThat(lockout.isLockedOut("carol", "10.0.0.33")).isTrue();
        assertThat(lockout.isLockedOut("carol", "10.0.0.34")).as("another address").isFalse();
        assertThat(lockout.isLockedOut("10.0.0.34")).isFalse();
    }

    @Test
    void aSuccessForgetsThePairsFailuresButNotTheAddresss() {
        lockout.recordFailure("alice", "10.0.0.35");
        lockout.recordFailure("alice", "10.0.0.35");
        lockout.recordSuccess("alice", "10.0.0.35");
        lockout.recordFailure("alice", "10.0.0.35");
        lockout.recordFailure("alice", "10.0.0.35");
        assertThat(lockout.isLockedOut("alice", "10.0.0.35")).as("two failures since the success").isFalse();

        // 4 failures counted for the address so far: two more, from any user, lock it
        lockout.recordFailure("bob", "10.0.0.35");
        lockout.recordFailure("carol", "10.0.0.35");
        assertThat(lockout.isLockedOut("10.0.0.35")).isTrue();
    }

    @Test
    void theAddressThresholdCannotBeBelowTheUsersOne() {
        assertThatThrownBy(() -> new FailedAttemptLockout(5, 4, Duration.ofMinutes(1), Duration.ofMinutes(5), 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
