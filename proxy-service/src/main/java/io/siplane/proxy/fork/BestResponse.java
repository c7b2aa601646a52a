package io.siplane.proxy.fork;

import java.util.List;

/**
 * Choosing the final response of a forked request among the branches' final non-2xx responses (RFC 3261 §16.7 step 6):
 * a 6xx if there is one; otherwise the lowest response class. Within a class, a challenge (401/407) wins so that the
 * caller can authenticate (the proxy then merges every challenge into it); responses that only say "nobody answered"
 * (480, 408) or "server trouble" (503) lose against a more telling one such as 486 Busy Here; ties go to the first
 * that arrived.
 */
public final class BestResponse {

    private BestResponse() {
    }

    /** The index of the best status in {@code statuses} (each 300..699). */
    public static int choose(List<Integer> statuses) {
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("no response to choose from");
        }
        int best = 0;
        for (int i = 1; i < statuses.size(); i++) {
            if (rank(statuses.get(i)) < rank(statuses.get(best))) {
                best = i;
            }
        }
        return best;
    }

    /** How the chosen response goes upstream (RFC 3261 §16.7 steps 6 and 7). */
    public enum Treatment {
        /** As it came. */
        AS_IS,
        /** A 401/407: every challenge of every other 401/407 is added to it. */
        MERGE_CHALLENGES,
        /** A 503 from downstream must not make the caller think this proxy is overloaded: 500 instead. */
        AS_500
    }

    public static Treatment treatmentOf(int status) {
        return switch (status) {
            case 401, 407 -> Treatment.MERGE_CHALLENGES;
            case 503 -> Treatment.AS_500;
            default -> Treatment.AS_IS;
        };
    }

    static int rank(int status) {
        int cls = status / 100;
        int classRank = cls == 6 ? 0 : cls;
        return classRank * 10 + preference(status);
    }

    private static int preference(int status) {
        return switch (status) {
            case 401, 407 -> 0;
            case 480, 503 -> 2;
            case 408 -> 3;
            default -> 1;
        };
    }
}
