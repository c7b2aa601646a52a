package io.siplane.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The proxy's policy (prefix {@code proxy}), validated at start-up.
 *
 * @param domains             the domains this proxy is responsible for ({@code SIP_DOMAIN}, comma list): a request
 *                            for one of them is routed through the location store; the first one is also the domain
 *                            of a Request-URI that names the proxy's own address ({@code sip:bob@10.0.0.5:5080})
 * @param aliases             other names of this proxy ({@code host} or {@code host:port}) besides its advertised
 *                            and bind addresses, e.g. a DNS name or the gateway's address
 * @param recordRoute         stay in the path of the dialogs this proxy helps create (RFC 3261 §16.6 step 4); off by
 *                            default: the user agents then talk directly once the session is set up
 * @param timerC              how long an INVITE branch may stay without a final response (RFC 3261 §16.6 step 11:
 *                            more than 3 minutes)
 * @param authentication      407 challenges of requests from our own domains
 * @param relayForeignDomains forward requests for domains that are not ours (off: no open relay)
 * @param supportedExtensions option tags this proxy accepts in {@code Proxy-Require} (RFC 3261 §16.3 step 5)
 * @param retryAfter          Retry-After of the 503 sent while the location store cannot answer
 */
@ConfigurationProperties("proxy")
public record ProxyProperties(
        List<String> domains,
        List<String> aliases,
        @DefaultValue("false") boolean recordRoute,
        @DefaultValue("185s") Duration timerC,
        @DefaultValue Authentication authentication,
        @DefaultValue("false") boolean relayForeignDomains,
        List<String> supportedExtensions,
        @DefaultValue("5s") Duration retryAfter) {

    /**
     * @param enabled challenge requests whose From names one of our domains (needs {@code SIP_NONCE_SECRET})
     * @param methods the methods challenged; ACK, CANCEL and in-dialog requests never are
     * @param ha1Cache callers' HA1s kept in memory, so that local users can call through a Redis outage
     */
    public record Authentication(@DefaultValue("true") boolean enabled, @DefaultValue({"INVITE", "MESSAGE", "OPTIONS"}) Set<String> methods,
            @DefaultValue Ha1Cache ha1Cache) {

        public Authentication(boolean enabled, Set<String> methods) {
            this(enabled, methods, Ha1Cache.DEFAULT);
        }

        @ConstructorBinding
        public Authentication {
            methods = methods == null ? Set.of() : methods.stream()
                    .map(m -> m.strip().toUpperCase(Locale.ROOT)).filter(m -> !m.isEmpty()).collect(Collectors.toUnmodifiableSet());
            if (methods.contains("ACK") || methods.contains("CANCEL")) {
                throw new IllegalArgumentException("proxy.authentication.methods: ACK and CANCEL cannot be challenged (RFC 3261 §22.1)");
            }
            ha1Cache = ha1Cache == null ? Ha1Cache.DEFAULT : ha1Cache;
        }

        public boolean challenges(String method) {
            return enabled && methods.contains(method);
        }
    }

    /**
     * @param ttl     how long a caller's HA1 is used without asking Redis again (0 = not cached); a subscriber change
     *                event evicts it at once. Unknown users are never cached.
     * @param maxSize most callers kept
     */
    public record Ha1Cache(@DefaultValue("60s") Duration ttl, @DefaultValue("100000") long maxSize) {

        static final Ha1Cache DEFAULT = new Ha1Cache(Duration.ofSeconds(60), 100_000);

        public Ha1Cache {
            if (ttl == null || ttl.isNegative()) {
                throw new IllegalArgumentException("proxy.authentication.ha1-cache.ttl must be 0 (off) or positive");
            }
            if (maxSize < 1) {
                throw new IllegalArgumentException("proxy.authentication.ha1-cache.max-size must be at least 1");
            }
        }
    }

    public ProxyProperties {
        domains = normalized(domains);
        aliases = normalized(aliases);
        supportedExtensions = normalized(supportedExtensions);
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("proxy.domains (SIP_DOMAIN) must name at least one domain");
        }
        if (timerC == null || timerC.toMillis() < 1000) {
            throw new IllegalArgumentException("proxy.timer-c must be at least 1s (RFC 3261 asks for more than 3 minutes)");
        }
        if (retryAfter == null || retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("proxy.retry-after must be at least 1s");
        }
        if (authentication == null) {
            authentication = new Authentication(true, Set.of("INVITE", "MESSAGE", "OPTIONS"));
        }
    }

    public int retryAfterSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, retryAfter.toSeconds());
    }

    private static List<String> normalized(List<String> values) {
        return values == null ? List.of() : values.stream()
                .map(v -> v.strip().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty()).distinct().toList();
    }
}
