package io.siplane.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
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
     */
    public record Authentication(@DefaultValue("true") boolean enabled, @DefaultValue({"INVITE", "MESSAGE", "OPTIONS"}) Set<String> methods) {

        public Authentication {
            methods = methods == null ? Set.of() : methods.stream()
                    .map(m -> m.strip().toUpperCase(Locale.ROOT)).filter(m -> !m.isEmpty()).collect(Collectors.toUnmodifiableSet());
            if (methods.contains("ACK") || methods.contains("CANCEL")) {
                throw new IllegalArgumentException("proxy.authentication.methods: ACK and CANCEL cannot be challenged (RFC 3261 §22.1)");
            }
        }

        public boolean challenges(String method) {
            return enabled && methods.contains(method);
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
