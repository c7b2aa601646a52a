package io.siplane.sip.digest;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the authenticator gets a user's HA1: the registrar and the proxy back it with the location store's
 * subscribers. It may throw when its store is unavailable; the exception passes through
 * {@link DigestAuthenticator#authenticate} unchanged, so the caller can answer 500/503 with Retry-After.
 */
@FunctionalInterface
public interface Ha1Source {

    /** The HA1 of {@code username} in {@code realm}; empty for an unknown user. */
    Optional<Ha1Hashes> find(String username, String realm);

    /**
     * The same without blocking the caller (an event loop): a store that can answer asynchronously overrides it; the
     * stage fails with what {@link #find} would throw.
     */
    default CompletionStage<Optional<Ha1Hashes>> findAsync(String username, String realm) {
        try {
            return CompletableFuture.completedFuture(find(username, realm));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
