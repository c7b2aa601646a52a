package io.siplane.sip.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.siplane.sip.digest.AuthOutcome.Authenticated;
import io.siplane.sip.digest.AuthOutcome.BadRequest;
import io.siplane.sip.digest.AuthOutcome.Challenge;
import io.siplane.sip.digest.AuthOutcome.LockedOut;
import io.siplane.sip.digest.AuthOutcome.Reason;

/**
 * Digest authentication for SIP (RFC 3261 §22, RFC 7616 semantics, RFC 8760 algorithms): builds challenges and
 * checks credentials. Free of JAIN-SIP: {@link SipDigest} reads and writes the headers. The registrar (401) and the
 * proxy (407) share it.
 *
 * <p>Order of checks: lockout of the client address; credentials for our realm; lockout of that user from that
 * address; a {@code uri} naming the Request-URI (else 400); a nonce we issued; the response against the user's HA1
 * (or a decoy HA1 for an unknown user, so that both fail the same way); then nonce freshness and nonce-count, which
 * only matter once the response is right (that is when {@code stale=true} may be sent).
 *
 * <p>A request without credentials is challenged unless its address as a whole is locked: the user is not known
 * before the credentials arrive, and a locked user/address pair gets its 403 on the next, credentialed, attempt.
 */
public final class DigestAuthenticator {

    private static final String QOP_AUTH = "auth";

    private final DigestProperties properties;
    private final Ha1Source ha1Source;
    private final HmacNonces nonces;
    private final NonceCounts nonceCounts;
    private final FailedAttemptLockout lockout;

    /** With nonce-counts kept on this replica only. */
    public DigestAuthenticator(DigestProperties properties, byte[] secret, Ha1Source ha1Source, Clock clock) {
        this(properties, secret, ha1Source, localNonceCounts(properties), clock);
    }

    public DigestAuthenticator(DigestProperties properties, byte[] secret, Ha1Source ha1Source, NonceCounts nonceCounts,
            Clock clock) {
        this.properties = properties;
        this.ha1Source = ha1Source;
        this.nonces = new HmacNonces(secret, properties.nonceLifetime(), clock);
        this.nonceCounts = nonceCounts;
        this.lockout = new FailedAttemptLockout(properties.maxFailures(), properties.maxFailuresPerAddress(),
                properties.failureWindow(), properties.lockout(), properties.trackedSources());
    }

    /** The per-replica nonce-count check the properties size. */
    public static NonceCountTracker localNonceCounts(DigestProperties properties) {
        return new NonceCountTracker(properties.nonceLifetime(), properties.trackedNonces());
    }

    /** The secret from the properties (callers decide what to do without one). */
    public static byte[] secretBytes(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks one request.
     *
     * @param method      the request method (part of HA2)
     * @param requestUri  the Request-URI as received, which the credentials' {@code uri} must name
     * @param realm       the realm this request must authenticate in
     * @param client      the client's real address (the packet's source, or behind a trusted edge the address the edge
     *                    saw), for the lockout
     * @param requestKey  what identifies a retransmission of this very request (Call-ID and CSeq)
     * @param credentials every Authorization (or Proxy-Authorization) of the request
     * @throws RuntimeException whatever the {@link Ha1Source} throws when its store is unavailable
     */
    public AuthOutcome authenticate(String method, String requestUri, String realm, String client, String requestKey,
            List<DigestCredentials> credentials) {
        Checked checked = check(requestUri, realm, client, credentials);
        if (checked.decided() != null) {
            return checked.decided();
        }
        DigestCredentials c = checked.credentials();
        AuthOutcome refused = verifyResponse(checked, method, ha1Source.find(c.username(), checked.realmLower()));
        if (refused != null) {
            return refused;
        }
        return counted(checked, nonceCounts.accept(c.nonce(), checked.nc(), requestKey));
    }

    /**
     * {@link #authenticate} without blocking the calling thread: the HA1 and the shared nonce-count come from their
     * stores asynchronously ({@link Ha1Source#findAsync}, {@link NonceCounts#acceptAsync}). The stage fails with what
     * the {@link Ha1Source} fails with when its store is unavailable.
     */
    public CompletionStage<AuthOutcome> authenticateAsync(String method, String requestUri, String realm, String client,
            String requestKey, List<DigestCredentials> credentials) {
        Checked checked = check(requestUri, realm, client, credentials);
        if (checked.decided() != null) {
            return CompletableFuture.completedFuture(checked.decided());
        }
        DigestCredentials c = checked.credentials();
        return ha1Source.findAsync(c.username(), checked.realmLower()).thenCompose(ha1 -> {
            AuthOutcome refused = verifyResponse(checked, method, ha1);
            if (refused != null) {
                return CompletableFuture.completedFuture(refused);
            }
            return nonceCounts.acceptAsync(c.nonce(), checked.nc(), requestKey).thenApply(accepted -> counted(checked, accepted));
        });
    }

    /**
     * What the checks before the HA1 found: an outcome already ({@code decided}), or credentials worth checking
     * against the user's HA1.
     */
    private record Checked(AuthOutcome decided, DigestCredentials credentials, String realm, String realmLower, String user,
            String client, DigestAlgorithm algorithm, long nc, HmacNonces.Status nonceStatus) {

        static Checked decided(AuthOutcome outcome) {
            return new Checked(outcome, null, null, null, null, null, null, 0, null);
        }
    }

    /** The checks that need no store: lockouts, credentials for our realm, their form, the uri, our nonce. */
    private Checked check(String requestUri, String realm, String client, List<DigestCredentials> credentials) {
        if (lockout.isLockedOut(client)) {
            return Checked.decided(new LockedOut());
        }
        Optional<DigestCredentials> forRealm = credentials.stream()
                .filter(c -> c.realm().equalsIgnoreCase(realm))
                .findFirst();
        if (forRealm.isEmpty()) {
            return Checked.decided(new Challenge(Reason.NO_CREDENTIALS));
        }
        DigestCredentials c = forRealm.get();
        String realmLower = realm.toLowerCase(Locale.ROOT);
        String user = c.username() + "@" + realmLower;
        if (lockout.isLockedOut(user, client)) {
            return Checked.decided(new LockedOut());
        }
        Optional<DigestAlgorithm> algorithm = c.algorithm().isPresent()
                ? DigestAlgorithm.fromWireName(c.algorithm().get()).filter(properties.algorithms()::contains)
                : Optional.of(DigestAlgorithm.MD5).filter(properties.algorithms()::contains);
        Optional<Long> nc = c.nc().flatMap(DigestAuthenticator::parseNonceCount);
        // RFC 7616 §3.4: we only offer qop=auth, which requires nc and cnonce
        if (algorithm.isEmpty() || c.username().isEmpty() || !c.qop().map(QOP_AUTH::equalsIgnoreCase).orElse(false)
                || nc.isEmpty() || c.cnonce().map(String::isEmpty).orElse(true)) {
            return Checked.decided(new Challenge(Reason.MALFORMED));
        }
        if (!DigestUri.names(c.uri(), requestUri)) {
            return Checked.decided(new BadRequest("Digest uri does not match Request-URI"));
        }
        HmacNonces.Status nonceStatus = nonces.verify(c.nonce(), realm);
        if (nonceStatus == HmacNonces.Status.INVALID) {
            return Checked.decided(new Challenge(Reason.INVALID_NONCE));
        }
        return new Checked(null, c, realm, realmLower, user, client, algorithm.get(), nc.get(), nonceStatus);
    }

    /**
     * The response against the user's HA1 (a decoy for an unknown user, so both fail alike), then the nonce's
     * freshness: an outcome when refused, null when only the nonce-count remains to be checked.
     */
    private AuthOutcome verifyResponse(Checked checked, String method, Optional<Ha1Hashes> ha1s) {
        DigestCredentials c = checked.credentials();
        DigestAlgorithm alg = checked.algorithm();
        String ha1 = ha1s.map(h -> h.forAlgorithm(alg)).orElseGet(() -> nonces.decoyHa1(alg, c.username(), checked.realm()));
        String expected = alg.response(ha1, method, c.uri(), c.nonce(), c.nc().orElseThrow(), c.cnonce().orElseThrow(), QOP_AUTH);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                c.response().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            lockout.recordFailure(checked.user(), checked.client());
            return new Challenge(Reason.BAD_CREDENTIALS);
        }
        if (checked.nonceStatus() == HmacNonces.Status.STALE) {
            return new Challenge(Reason.STALE_NONCE);
        }
        return null;
    }

    private AuthOutcome counted(Checked checked, boolean nonceCountAccepted) {
        if (!nonceCountAccepted) {
            return new Challenge(Reason.REPLAYED_NONCE_COUNT);
        }
        lockout.recordSuccess(checked.user(), checked.client());
        return new Authenticated(checked.credentials().username(), checked.realm(), checked.algorithm());
    }

    /** Fresh challenges for {@code realm}, one per configured algorithm in the configured order. */
    public List<DigestChallenge> challenges(String realm, boolean stale) {
        String nonce = nonces.issue(realm);
        return properties.algorithms().stream()
                .map(a -> new DigestChallenge(realm, nonce, a, QOP_AUTH, stale))
                .toList();
    }

    private static Optional<Long> parseNonceCount(String nc) {
        // RFC 7616 §3.4: nc is 8 hex digits
        if (nc.length() != 8) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(nc, 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
