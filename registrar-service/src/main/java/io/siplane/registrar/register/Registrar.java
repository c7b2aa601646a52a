package io.siplane.registrar.register;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ContactUpdate;
import io.siplane.location.LocationStore;
import io.siplane.location.LocationUnavailableException;
import io.siplane.location.RegisterResult;
import io.siplane.location.RegisterUpdate;
import io.siplane.location.cache.CachedSubscribers;
import io.siplane.registrar.RegistrarProperties;
import io.siplane.registrar.register.RegisterOutcome.Challenge;
import io.siplane.registrar.register.RegisterOutcome.IntervalTooBrief;
import io.siplane.registrar.register.RegisterOutcome.Refused;
import io.siplane.registrar.register.RegisterOutcome.Registered;
import io.siplane.registrar.register.RegisterOutcome.StoreUnavailable;
import io.siplane.sip.digest.AuthOutcome;
import io.siplane.sip.digest.DigestAuthenticator;

/**
 * Processes a REGISTER as RFC 3261 §10.3 lists the steps; each step is a method named after it, and the first
 * that refuses the request decides the answer. Step 2 (Require) is the request chain's stock step, before this
 * class. Steps 7 and 8 (Call-ID/CSeq ordering, applying the bindings) run atomically in the location store.
 *
 * <p>Nothing here blocks: what needs Redis (the HA1, the shared nonce-count, the bindings) is asked asynchronously
 * and the outcome completes when Redis has answered, so the thread that received the request (a Netty event loop)
 * is free at once.
 */
@Service
public class Registrar {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);
    /** Option tags a client may Require of us: RFC 3327 Path (the chain's Require step). */
    public static final Set<String> SUPPORTED_EXTENSIONS = Set.of("path");

    private final RegistrarProperties properties;
    private final LocationStore store;
    private final Optional<DigestAuthenticator> authenticator;
    private final Optional<CachedSubscribers> subscribers;
    private final RegisterMetrics metrics;

    public Registrar(RegistrarProperties properties, LocationStore store, ObjectProvider<DigestAuthenticator> authenticator,
            ObjectProvider<CachedSubscribers> subscribers, RegisterMetrics metrics) {
        this.properties = properties;
        this.store = store;
        this.authenticator = Optional.ofNullable(authenticator.getIfAvailable());
        this.subscribers = Optional.ofNullable(subscribers.getIfAvailable());
        this.metrics = metrics;
        if (properties.authentication() && this.authenticator.isEmpty()) {
            throw new IllegalStateException("registrar.authentication is on but no DigestAuthenticator is configured");
        }
    }

    public CompletionStage<RegisterOutcome> process(RegisterRequest request) {
        Optional<RegisterOutcome> foreign = checkRequestUriDomain(request);
        if (foreign.isPresent()) {
            return CompletableFuture.completedFuture(foreign.get());
        }
        return authenticateAndAuthorize(request)
                .thenCompose(refused -> refused.or(() -> checkAddressOfRecord(request))
                        .<CompletionStage<RegisterOutcome>>map(CompletableFuture::completedFuture)
                        .orElseGet(() -> applyContacts(request)))
                .exceptionally(failure -> storeUnavailable(request, failure));
    }

    private RegisterOutcome storeUnavailable(RegisterRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof LocationUnavailableException e) {
            log.warn("location store unavailable, REGISTER for {} refused with 500: {}", request.aor(), e.getMessage());
            return new StoreUnavailable(properties.retryAfterSeconds());
        }
        throw failure instanceof CompletionException c ? c : new CompletionException(cause);
    }

    /**
     * Step 1: we only hold bindings for our domains. We do not proxy REGISTER elsewhere, so a foreign domain gets
     * 404 Not Found (the answer step 5 gives for an AOR not valid in the Request-URI's domain), not 403.
     */
    private Optional<RegisterOutcome> checkRequestUriDomain(RegisterRequest r) {
        return properties.serves(r.requestUriHost()) ? Optional.empty() : Optional.of(new Refused(404, "Not Found"));
    }

    /**
     * Step 3 (authenticate, RFC 3261 §22 with digest) and step 4 (authorize: the authenticated user may change the
     * bindings of the To AOR only if it is its own). The realm is the Request-URI's domain.
     */
    private CompletionStage<Optional<RegisterOutcome>> authenticateAndAuthorize(RegisterRequest r) {
        if (authenticator.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        DigestAuthenticator auth = authenticator.get();
        String realm = r.requestUriHost();
        return auth.authenticateAsync(r.method(), r.requestUri(), realm, r.client().address(), r.requestKey(), r.credentials())
                .thenApply(outcome -> {
                    if (outcome instanceof AuthOutcome.Authenticated user) {
                        return authorize(r, user);
                    }
                    if (outcome instanceof AuthOutcome.Challenge challenge) {
                        if (challenge.reason() == AuthOutcome.Reason.NO_CREDENTIALS) {
                            // the HA1 the credentialed retry needs, read while the 401 travels (cached for the nonce's life)
                            subscribers.ifPresent(s -> s.prefetch(r.aor()));
                        } else {
                            metrics.authFailure(challenge.reason().name().toLowerCase(Locale.ROOT));
                        }
                        return Optional.of(new Challenge(auth.challenges(realm, challenge.stale())));
                    }
                    if (outcome instanceof AuthOutcome.BadRequest bad) {
                        metrics.authFailure("uri_mismatch");
                        return Optional.of(new Refused(400, bad.reason()));
                    }
                    metrics.authFailure("locked_out");
                    return Optional.of(new Refused(403, "Forbidden"));
                });
    }

    private Optional<RegisterOutcome> authorize(RegisterRequest r, AuthOutcome.Authenticated user) {
        AddressOfRecord to = r.aor();
        boolean own = to.user().equals(user.username()) && to.host().equalsIgnoreCase(user.realm());
        if (!own) {
            metrics.authFailure("not_own_aor");
            return Optional.of(new Refused(403, "Forbidden"));
        }
        return Optional.empty();
    }

    /** Step 5: the To AOR must belong to the Request-URI's domain. */
    private Optional<RegisterOutcome> checkAddressOfRecord(RegisterRequest r) {
        return r.aor().host().equalsIgnoreCase(r.requestUriHost()) ? Optional.empty() : Optional.of(new Refused(404, "Not Found"));
    }

    /**
     * Step 6: {@code *} only alone and with Expires 0 (else 400); each contact's expiry from its parameter, else the
     * Expires header, else the default; non-zero below the minimum gets 423 with Min-Expires; above the maximum is
     * shortened. Steps 7 and 8 happen in the store, atomically.
     */
    private CompletionStage<RegisterOutcome> applyContacts(RegisterRequest r) {
        if (r.wildcard()) {
            if (!r.contacts().isEmpty() || r.expiresHeader().orElse(-1) != 0) {
                return CompletableFuture.completedFuture(new Refused(400, "Bad Request"));
            }
            return store(r, RegisterUpdate.removeAll(r.aor(), r.callId(), r.cseq()));
        }
        List<ContactUpdate> updates = new ArrayList<>(r.contacts().size());
        for (RequestedContact c : r.contacts()) {
            int expires = c.expires().orElse(r.expiresHeader().orElse(properties.defaultExpires()));
            if (expires > 0 && expires < properties.minExpires()) {
                return CompletableFuture.completedFuture(new IntervalTooBrief(properties.minExpires()));
            }
            updates.add(new ContactUpdate(c.uri(), Math.min(expires, properties.maxExpires()), c.q(), r.path(),
                    Optional.of(r.client()), r.userAgent(), c.instanceId(), c.regId()));
        }
        return store(r, RegisterUpdate.of(r.aor(), r.callId(), r.cseq(), updates));
    }

    private CompletionStage<RegisterOutcome> store(RegisterRequest r, RegisterUpdate update) {
        return store.registerAsync(update).thenApply(result -> stored(r, result));
    }

    private RegisterOutcome stored(RegisterRequest r, RegisterResult result) {
        if (result instanceof RegisterResult.StaleCSeq) {
            // Step 7: an older CSeq for the same Call-ID changes nothing; 500 as common practice (Kamailio, OpenSIPS)
            return new Refused(500, "Stale CSeq");
        }
        if (result instanceof RegisterResult.TooManyContacts) {
            // siplane.location.contact-limit-policy=REJECT
            return new Refused(403, "Too Many Contacts");
        }
        return new Registered(result.bindings(), r.supportsPath() ? r.path() : List.of());
    }
}
