package io.siplane.redirect;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code redirect.*}.
 *
 * @param domains    the domains whose users this server redirects to (SIP_DOMAIN, comma list)
 * @param retryAfter Retry-After of the 503 sent while the location store cannot answer
 */
@ConfigurationProperties("redirect")
public record RedirectProperties(List<String> domains, @DefaultValue("5s") Duration retryAfter) {

    public RedirectProperties {
        if (domains == null || domains.isEmpty() || domains.stream().anyMatch(d -> d == null || d.isBlank())) {
            throw new IllegalArgumentException("redirect.domains (SIP_DOMAIN) must name at least one domain");
        }
        domains = domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).toList();
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("redirect.retry-after must not be negative");
        }
    }

    public boolean serves(String host) {
        return domains.contains(host.toLowerCase(Locale.ROOT));
    }
}
