package io.siplane.sip.digest;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Stops online password guessing without letting one client lock others out. Failures are counted per user and
 * client address: {@code maxFailuresPerUser} wrong credentials for one user from one address within {@code window}
 * lock that pair for {@code coolDown}; the same user from any other address is unaffected. So that one address
 * cannot walk the user list, {@code maxFailuresPerAddress} failures from an address, whatever the users, lock the
 * whole address. A lock never concerns another address: flooding from many addresses is the gateway's per-source
 * limit's job. Counts live in bounded per-replica Caffeine caches.
 */
public final class FailedAttemptLockout {

    private final int maxFailuresPerUser;
    private final int maxFailuresPerAddress;
    private final Cache<String, Integer> failures;
    private final Cache<String, Boolean> locked;

    public FailedAttemptLockout(int maxFailuresPerUser, int maxFailuresPerAddress, Duration window, Duration coolDown,
            long maximumEntries) {
        if (maxFailuresPerUser < 1 || maxFailuresPerAddress < maxFailuresPerUser) {
            throw new IllegalArgumentException("need 1 <= failures per user <= failures per address, got "
                    + maxFailuresPerUser + " / " + maxFailuresPerAddress);
        }
        this.maxFailuresPerUser = maxFailuresPerUser;
        this.maxFailuresPerAddress = maxFailuresPerAddress;
        // the window starts at the first failure: later failures do not extend it
        this.failures = Caffeine.newBuilder()
                .expireAfter(Expiry.creating((String k, Integer v) -> window))
                .maximumSize(maximumEntries)
                .build();
        this.locked = Caffeine.newBuilder()
                .expireAfterWrite(coolDown)
                .maximumSize(maximumEntries)
                .build();
    }

    /** Whether the whole address is locked (too many failures across users). */
    public boolean isLockedOut(String address) {
        return locked.getIfPresent(addressKey(address)) != null;
    }

    /** Whether {@code user} may not try from {@code address}: the pair or the whole address is locked. */
    public boolean isLockedOut(String user, String address) {
        return isLockedOut(address) || locked.getIfPresent(pairKey(user, address)) != null;
    }

    /** Counts a failure of {@code user} from {@code address}; true when it locks the pair or the address. */
    public boolean recordFailure(String user, String address) {
        boolean lockedNow = count(pairKey(user, address), maxFailuresPerUser);
        return count(addressKey(address), maxFailuresPerAddress) || lockedNow;
    }

    /**
     * A success forgets earlier failures of that user from that address. The address's own count stays: one account
     * of the attacker's, used now and then, must not reset its guesses at the others.
     */
    public void recordSuccess(String user, String address) {
        failures.invalidate(pairKey(user, address));
    }

    private boolean count(String key, int max) {
        int count = failures.asMap().merge(key, 1, Integer::sum);
        if (count >= max) {
            locked.put(key, Boolean.TRUE);
            failures.invalidate(key);
            return true;
        }
        return false;
    }

    private static String addressKey(String address) {
        return "a " + address;
    }

    // a space cannot occur in an address, so "u <user> <address>" is unambiguous whatever the user contains
    private static String pairKey(String user, String address) {
        return "u " + address + " " + user;
    }
}
