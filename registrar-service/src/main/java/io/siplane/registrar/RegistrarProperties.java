package io.siplane.registrar;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The registrar's policy (prefix {@code registrar}). Validated at start-up.
 *
 * @param domains        the domains this registrar is authoritative for ({@code SIP_DOMAIN}, comma list); each
 *                       domain is its own digest realm, matching the HA1 the location store keeps
 *                       (realm = subscriber's domain)
 * @param authentication digest authentication of REGISTER (on by default; off only for benchmarks and labs)
 * @param minExpires     shorter non-zero registrations get 423 with Min-Expires (RFC 3261 §10.3 step 6)
 * @param maxExpires     longer ones are shortened to this
 * @param defaultExpires used when neither the contact nor the request says
 * @param retryAfter     Retry-After on the 500 sent while the location store is unavailable
 * @param trustedEdges   the older name of {@code sip.trusted-edges} ({@code REGISTRAR_TRUSTED_EDGES}), still honoured:
 *                       its entries are trusted in addition to those of {@code sip.trusted-edges}
 */
@Validated
@ConfigurationProperties("registrar")
public record RegistrarProperties(
        List<String> domains,
        @DefaultValue("true") boolean authentication,
        @DefaultValue("60") @Min(1) int minExpires,
        @DefaultValue("7200") @Min(1) int maxExpires,
        @DefaultValue("3600") @Min(1) int defaultExpires,
        @DefaultValue("5s") Duration retryAfter,
        List<String> trustedEdges) {

    public RegistrarProperties {
        domains = domains == null ? List.of() : domains.stream()
                .map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).distinct().toList();
        trustedEdges = trustedEdges == null ? List.of() : trustedEdges.stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        trustedEdges.forEach(io.siplane.sip.net.Cidr::parse); // fail at start-up on a malformed entry
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("registrar.domains (SIP_DOMAIN) must name at least one domain");
        }
        if (minExpires > maxExpires || defaultExpires < minExpires || defaultExpires > maxExpires) {
            throw new IllegalArgumentException("registrar expires must satisfy min-expires <= default-expires <= max-expires, got "
                    + minExpires + " / " + defaultExpires + " / " + maxExpires);
        }
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("registrar.retry-after must be at least 1s");
        }
    }


    public boolean serves(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    public int retryAfterSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, retryAfter.toSeconds());
    }
}
