package io.siplane.sip.shutdown;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a SIP element drains when its context closes (SIGTERM, a rolling update): prefix {@code sip.shutdown}.
 *
 * @param drainTimeout    longest wait for in-flight transactions (a ringing INVITE, a REGISTER waiting for Redis)
 *                        after draining starts; what is still pending then is answered 503 and the stack stops.
 *                        Keep it below the platform's kill deadline (Kubernetes {@code terminationGracePeriodSeconds},
 *                        {@code RUN_STOP_TIMEOUT}) and {@code spring.lifecycle.timeout-per-shutdown-phase}. 0: stop at once
 * @param announceTimeout longest time new transactions are still served after draining starts while the elements that
 *                        probed this one recently (the gateway's OPTIONS) have not yet been answered 503; 0: refuse at once
 * @param retryAfter      {@code Retry-After} of the 503 answers sent while draining (RFC 3261 §21.5.4)
 */
@Validated
@ConfigurationProperties("sip.shutdown")
public record SipShutdownProperties(
        @DefaultValue("20s") Duration drainTimeout,
        @DefaultValue("5s") Duration announceTimeout,
        @DefaultValue("5s") Duration retryAfter) {

    public SipShutdownProperties {
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(20) : drainTimeout;
        announceTimeout = announceTimeout == null ? Duration.ofSeconds(5) : announceTimeout;
        retryAfter = retryAfter == null ? Duration.ofSeconds(5) : retryAfter;
        if (drainTimeout.isNegative() || announceTimeout.isNegative()) {
            throw new IllegalArgumentException("sip.shutdown.drain-timeout and sip.shutdown.announce-timeout must not be negative");
        }
        if (announceTimeout.compareTo(drainTimeout) > 0) {
            throw new IllegalArgumentException("sip.shutdown.announce-timeout (" + announceTimeout
                    + ") must not exceed sip.shutdown.drain-timeout (" + drainTimeout + "): the drain includes the announcement");
        }
        if (retryAfter.toSeconds() < 0 || retryAfter.toSeconds() > 3600) {
            throw new IllegalArgumentException("sip.shutdown.retry-after must be between 0 and 3600 seconds");
        }
    }

    /** The defaults: 20 s drain, 5 s announcement, Retry-After 5 s. */
    public static SipShutdownProperties defaults() {
        return new SipShutdownProperties(null, null, null);
    }
}
