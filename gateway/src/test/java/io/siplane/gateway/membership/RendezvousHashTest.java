package io.siplane.gateway.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

class RendezvousHashTest {

    static Target target(String ip) {
        return new Target(PoolRole.PROXY, new TargetAddress(ip, 5080), CircuitBreaker.ofDefaults(ip), 1, 1);
    }

    static Map<String, Target> assign(List<Target> targets, int keys) {
        Map<String, Target> out = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            String key = "call-" + i + "@host";
            out.put(key, RendezvousHash.pick(key, targets, t -> true).orElseThrow());
        }
        return out;
    }

    @Test
    void keysSpreadEvenlyOverTheTargets() {
        List<Target> targets = List.of(target("10.0.0.1"), target("10.0.0.2"), target("10.0.0.3"), target("10.0.0.4"));
        Map<Target, Integer> counts = new HashMap<>();
        assign(targets, 20_000).values().forEach(t -> counts.merge(t, 1, Integer::sum));
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(4_500, 5_500));
    }

    @Test
    void removingATargetMovesOnlyTheKeysItHad() {
        List<Target> four = List.of(target("10.0.0.1"), target("10.0.0.2"), target("10.0.0.3"), target("10.0.0.4"));
        Map<String, Target> before = assign(four, 10_000);
        List<Target> three = new ArrayList<>(four.subList(0, 3));
        Map<String, Target> after = assign(three, 10_000);
        before.forEach((key, t) -> {
            if (t != four.get(3)) {
                assertThat(after.get(key)).isSameAs(t);
            }
        });
    }

    @Test
    void addingATargetTakesAboutItsShareFromEachOther() {
        List<Target> two = List.of(target("10.0.0.1"), target("10.0.0.2"));
        Map<String, Target> before = assign(two, 10_000);
        Target third = target("10.0.0.3");
        Map<String, Target> after = assign(List.of(two.get(0), two.get(1), third), 10_000);
        long moved = before.keySet().stream().filter(k -> after.get(k) != before.get(k)).count();
        assertThat(moved).isBetween(2_800L, 3_900L);
        assertThat(before.keySet().stream().filter(k -> after.get(k) != before.get(k)).map(after::get)).containsOnly(third);
    }

    @Test
    void anIneligibleTargetIsSkippedAndNothingEligibleMeansNoChoice() {
        Target a = target("10.0.0.1");
        Target b = target("10.0.0.2");
        assertThat(RendezvousHash.pick("x", List.of(a, b), t -> t == b)).contains(b);
        assertThat(RendezvousHash.pick("x", List.of(a, b), t -> false)).isEmpty();
    }
}
