package io.siplane.proxy.fork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.siplane.proxy.routing.ContactTarget;

/**
 * The order branches are tried in (RFC 3261 §16.6, q-values per §16.5 and RFC 3261 §20.10): targets of equal q form a
 * group tried in parallel; groups are tried in sequence, highest q first, the next one only when every branch of the
 * previous group has failed.
 */
public final class ForkPlan {

    private ForkPlan() {
    }

    /** The groups, highest q first; inside a group the given order is kept. */
    public static List<List<ContactTarget>> byQ(List<ContactTarget> targets) {
        Map<Double, List<ContactTarget>> groups = new LinkedHashMap<>();
        targets.stream()
                .sorted((a, b) -> Double.compare(b.q(), a.q()))
                .forEach(t -> groups.computeIfAbsent(t.q(), q -> new ArrayList<>()).add(t));
        return groups.values().stream().map(List::copyOf).toList();
    }
}
