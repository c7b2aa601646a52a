package io.siplane.gateway.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

class TargetTest {

    static final Duration RTT = Duration.ofMillis(1);

    static Target target(int up, int down) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(4)
                .failureRateThreshold(50).build();
        return new Target(PoolRole.PROXY, new TargetAddress("10.0.0.1", 5080), CircuitBreaker.of("t", config), up, down);
    }

    @Test
    void aNewTargetJoinsOnItsFirstAnswer() {
        Target t = target(2, 1);
        assertThat(t.acceptsNew()).isFalse();
        t.probeAnswered(200, RTT);
        assertThat(t.state()).isEqualTo(TargetState.UP);
        assertThat(t.acceptsNew()).isTrue();
    }

    @Test
    void downAfterTheDownThresholdAndBackAfterTheUpThreshold() {
        Target t = target(2, 2);
        t.probeAnswered(200, RTT);
        t.probeFailed(RTT);
        assertThat(t.state()).isEqualTo(TargetState.UP);
        t.probeFailed(RTT);
        assertThat(t.state()).isEqualTo(TargetState.DOWN);
        t.probeAnswered(200, RTT);
        assertThat(t.state()).isEqualTo(TargetState.DOWN);
        t.probeAnswered(200, RTT);
        assertThat(t.state()).isEqualTo(TargetState.UP);
    }

    @Test
    void a503DrainsTheTargetWhichStaysReachableForWhatIsInFlight() {
        Target t = target(2, 1);
        t.probeAnswered(200, RTT);
        t.probeAnswered(503, RTT);
        assertThat(t.state()).isEqualTo(TargetState.DRAINING);
        assertThat(t.acceptsNew()).isFalse();
        assertThat(t.reachable()).isTrue();
        t.probeAnswered(200, RTT);
        assertThat(t.acceptsNew()).isTrue();
    }

    @Test
    void sendFailuresOpenTheBreakerAndTakeTheTargetOutAtOnce() {
        Target t = target(1, 5);
        t.probeAnswered(200, RTT);
        for (int i = 0; i < 4; i++) {
            t.sendFailed(new java.io.IOException("connection refused"));
        }
        assertThat(t.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(t.acceptsNew()).isFalse();
        assertThat(t.reachable()).isFalse();
    }

    @Test
    void aLateProbeDoesNotCountWhenTheTargetAnsweredRelayedRequestsWhileItWasOut() {
        Target t = target(2, 1);
        t.probeAnswered(200, RTT);
        long probeSent = System.nanoTime();
        t.relayed(probeSent + Duration.ofMillis(100).toNanos());
        assertThat(t.probeFailed(RTT, probeSent)).isNull();
        assertThat(t.state()).isEqualTo(TargetState.UP);
        // answers from before the probe was sent prove nothing about now (a replica killed under traffic)
        assertThat(t.probeFailed(RTT, probeSent + Duration.ofMillis(200).toNanos())).isEqualTo(TargetState.UP);
        assertThat(t.state()).isEqualTo(TargetState.DOWN);
    }

    @Test
    void aTargetOutByItsProbesIsKeptAsLastResortOnlyWhileItWasAliveRecently() {
        Target t = target(2, 1);
        assertThat(t.keptAsLastResort(System.nanoTime(), Duration.ofSeconds(30))).as("never alive").isFalse();
        t.probeAnswered(200, RTT);
        t.probeFailed(RTT);
        assertThat(t.state()).isEqualTo(TargetState.DOWN);
        assertThat(t.keptAsLastResort(System.nanoTime(), Duration.ofSeconds(30))).isTrue();
        assertThat(t.keptAsLastResort(System.nanoTime() + Duration.ofSeconds(31).toNanos(), Duration.ofSeconds(30))).isFalse();
        t.relayed(System.nanoTime() + Duration.ofSeconds(31).toNanos());
        assertThat(t.keptAsLastResort(System.nanoTime() + Duration.ofSeconds(32).toNanos(), Duration.ofSeconds(30))).isTrue();
        t.probeAnswered(503, RTT);
        assertThat(t.keptAsLastResort(System.nanoTime(), Duration.ofSeconds(30))).as("draining").isFalse();
    }
}
