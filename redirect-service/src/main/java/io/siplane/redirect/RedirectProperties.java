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
 * @param lookupThreads threads that wait on the location store for near-cache misses (never the event loops)
 * @param lookupQueue   misses that may wait for such a thread; one more is answered 503 (overload)
 */
@ConfigurationProperties("redirect")
public record RedirectProperties(List<String> domains, @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("4") int lookupThreads, @DefaultValue("2000") int lookupQueue) {

    public RedirectProperties {
        if (domains == null || domains.isEmpty() || domains.stream().anyMatch(d -> d == null || d.isBlank())) {
            throw new IllegalArgumentException("redirect.domains (SIP_DOMAIN) must name at least one domain");
        }
        domains = domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).toList();
        if (lookupThreads < 1 || lookupThreads > 256 || lookupQueue < 1) {
            throw new IllegalArgumentException("redirect.lookup-threads must be 1-256 and redirect.lookup-queue at least 1");
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("redirect.retry-after must not be negative");
        }
    }

    public boolean serves(String host) {
        return domains.contains(host.toLowerCase(Locale.ROOT));
    }
}
