package io.siplane.sip.digest;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Digest authentication (prefix {@code sip.digest}).
 *
 * @param nonceSecret       shared by every replica so each verifies the others' nonces ({@code SIP_NONCE_SECRET});
 *                          at least 16 characters; required unless {@code insecureDevSecret}
 * @param insecureDevSecret without a secret, use a random one per process (single instance, development only)
 * @param nonceLifetime     after this a nonce is stale: the client gets {@code stale=true} and retries
 * @param algorithms        challenges offered, in this order; by default one MD5 challenge, as Kamailio, Asterisk and
 *                          FreeSWITCH offer: a 401/407 with a second challenge naming an algorithm a phone does not
 *                          know makes some give up (Debian 12's baresip 1.0: "Register: Function not implemented"),
 *                          SIPp answers only the first. SHA-256 (RFC 8760) on request:
 *                          {@code SIP_DIGEST_ALGORITHMS=SHA-256,MD5} or {@code SHA-256}; an answer with an algorithm
 *                          not listed is refused
 * @param maxFailures       wrong credentials for one user from one client address within {@code failureWindow}
 *                          before that user is refused (403) from that address; other addresses are unaffected
 * @param failureWindow     window counted from the first failure
 * @param lockout           how long a locked-out user/address pair, or address, is refused (403)
 * @param trackedNonces     nonce-count entries kept per replica
 * @param trackedSources    failure and lockout entries kept per replica
 * @param maxFailuresPerAddress wrong credentials from one client address, whatever the users, within
 *                          {@code failureWindow} before the whole address is refused (so that one address cannot walk
 *                          the user list); 0 (the default) means 4 × {@code maxFailures}; never below
 *                          {@code maxFailures}
 */
@Validated
@ConfigurationProperties("sip.digest")
public record DigestProperties(
        @DefaultValue("") String nonceSecret,
        @DefaultValue("false") boolean insecureDevSecret,
        @DefaultValue("300s") Duration nonceLifetime,
        @DefaultValue("MD5") @NotEmpty List<DigestAlgorithm> algorithms,
        @DefaultValue("5") @Min(1) int maxFailures,
        @DefaultValue("60s") Duration failureWindow,
        @DefaultValue("300s") Duration lockout,
        @DefaultValue("200000") @Min(1000) long trackedNonces,
        @DefaultValue("100000") @Min(1000) long trackedSources,
        @DefaultValue("0") @Min(0) int maxFailuresPerAddress) {

    static final int MIN_SECRET_LENGTH = 16;
    static final int ADDRESS_FAILURES_PER_USER_FAILURES = 4;

    public DigestProperties {
        nonceSecret = nonceSecret == null ? "" : nonceSecret;
        algorithms = algorithms == null ? List.of() : List.copyOf(algorithms);
        if (nonceSecret.isEmpty() && !insecureDevSecret) {
            throw new IllegalArgumentException("sip.digest.nonce-secret (SIP_NONCE_SECRET) is required: every replica needs the "
                    + "same secret to verify the nonces it did not issue. For a single development instance only, set "
                    + "sip.digest.insecure-dev-secret=true to use a random per-process secret.");
        }
        if (!nonceSecret.isEmpty() && nonceSecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("sip.digest.nonce-secret (SIP_NONCE_SECRET) must be at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
        if (nonceLifetime == null || nonceLifetime.isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("sip.digest.nonce-lifetime must be positive");
        }
        if (failureWindow == null || failureWindow.isNegative() || failureWindow.isZero()
                || lockout == null || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("sip.digest.failure-window and sip.digest.lockout must be positive");
        }
        if (maxFailuresPerAddress == 0) {
            maxFailuresPerAddress = ADDRESS_FAILURES_PER_USER_FAILURES * maxFailures;
        }
        if (maxFailuresPerAddress < maxFailures) {
            throw new IllegalArgumentException("sip.digest.max-failures-per-address (" + maxFailuresPerAddress
                    + ") must be at least sip.digest.max-failures (" + maxFailures + ")");
        }
    }

    /** Defaults (one MD5 challenge) with the given secret (tests, tools). */
    public static DigestProperties withSecret(String secret) {
        return new DigestProperties(secret, false, Duration.ofSeconds(300), List.of(DigestAlgorithm.MD5),
                5, Duration.ofSeconds(60), Duration.ofSeconds(300), 200_000, 100_000, 0);
    }

    /** The same with these challenges offered, in this order. */
    public DigestProperties withAlgorithms(DigestAlgorithm... offered) {
        return new DigestProperties(nonceSecret, insecureDevSecret, nonceLifetime, List.of(offered), maxFailures,
                failureWindow, lockout, trackedNonces, trackedSources, maxFailuresPerAddress);
    }

    @Override
    public String toString() {
        return "DigestProperties[nonceLifetime=" + nonceLifetime + ", algorithms=" + algorithms + ", maxFailures=" + maxFailures
                + ", maxFailuresPerAddress=" + maxFailuresPerAddress + ", failureWindow=" + failureWindow
                + ", lockout=" + lockout + "]";
    }
}
