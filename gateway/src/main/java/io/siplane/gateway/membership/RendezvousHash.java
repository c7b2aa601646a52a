package io.siplane.gateway.membership;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Highest-random-weight (rendezvous) hashing: each target scores {@code mix(hash(key) ^ seed(target))} and the best
 * score wins. The same key picks the same target while that target is eligible, and removing a target moves only the
 * keys it had won (to their second choice), adding one takes over only about 1/N of the keys.
 */
public final class RendezvousHash {

    private RendezvousHash() {
    }

    /** The eligible target with the highest weight for {@code key}. */
    public static Optional<Target> pick(String key, Collection<Target> targets, Predicate<Target> eligible) {
        long k = hash(key);
        Target best = null;
        long bestScore = 0;
        for (Target t : targets) {
            if (!eligible.test(t)) {
                continue;
            }
            long score = mix(k ^ t.hashSeed());
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = t;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, finished with a mixer so that similar keys spread. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** MurmurHash3's fmix64. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }
}
