package io.siplane.gateway;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.siplane.sip.Transport;

/**
 * The SIP edge (prefix {@code gateway}); the listening side itself is {@code sip.*} (sip-commons). Validated at
 * start-up.
 *
 * @param domains         domains the platform serves ({@code SIP_DOMAIN}): a request for one of them without a Route
 *                        goes to a proxy replica even inside a dialog (e.g. the ACK of a non-2xx)
 * @param internalAddress host the replicas reach this gateway at, put in Path and in the inner Record-Route
 *                        ({@code GATEWAY_INTERNAL_ADDRESS}); empty means the advertised address
 * @param aliases         further host[:port] under which requests address this gateway (Route, Request-URI)
 * @param proxy           the proxy replicas
 * @param registrar       the registrar replicas
 * @param targetTransport transport towards the replicas
 * @param resolveInterval how often target names are resolved again (DNS A records come and go)
 * @param probe           OPTIONS probing of each target
 * @param circuitBreaker  Resilience4j circuit breaker per target
 * @param affinity        Call-ID → target memory that keeps a transaction's messages on one replica across membership
 *                        changes
 * @param flowTokenSecret HMAC key of flow tokens ({@code GATEWAY_FLOW_TOKEN_SECRET}); empty means a random key per start
 *                        (tokens issued before a restart then stop working: UAs re-register)
 * @param recordRoute     when this gateway stays in a dialog's path
 * @param maxMessageSize  largest request forwarded, bytes; larger ones get 513
 * @param flood           per-source rate limiting
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
        @DefaultValue("siplane.test") List<String> domains,
        @DefaultValue("") String internalAddress,
        @DefaultValue("") List<String> aliases,
        @Valid @NotNull Pool proxy,
        @Valid @NotNull Pool registrar,
        @DefaultValue("udp") @NotNull Transport targetTransport,
        @DefaultValue("5s") @NotNull Duration resolveInterval,
        @Valid @NotNull @DefaultValue Probe probe,
        @Valid @NotNull @DefaultValue CircuitBreaker circuitBreaker,
        @Valid @NotNull @DefaultValue Affinity affinity,
        @DefaultValue("") String flowTokenSecret,
        @DefaultValue("always") @NotNull RecordRouteMode recordRoute,
        @DefaultValue("65535") @Min(1024) int maxMessageSize,
        @Valid @NotNull @DefaultValue Flood flood) {

    public GatewayProperties {
        domains = domains == null ? List.of() : domains.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        aliases = aliases == null ? List.of() : aliases.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        internalAddress = internalAddress == null ? "" : internalAddress.strip();
        flowTokenSecret = flowTokenSecret == null ? "" : flowTokenSecret;
        if (resolveInterval != null && resolveInterval.toMillis() < 100) {
            throw new IllegalArgumentException("gateway.resolve-interval must be at least 100ms");
        }
    }

    /**
     * @param targets     a comma list of {@code host[:port]}; each host may resolve to several addresses (a DNS name whose
     *                    A records are the replicas) and each address is one target
     * @param defaultPort port of entries that name none
     */
    public record Pool(@NotBlank String targets, @Min(1) @Max(65535) int defaultPort) {
    }

    /**
     * @param interval      time between two OPTIONS to one target
     * @param timeout       a probe unanswered for this long failed
     * @param upThreshold   consecutive answered probes that bring a target (back) into rotation
     * @param downThreshold consecutive failed probes that take it out (not counted while the target relays answers:
     *                      passive health)
     * @param keepLastFor   when no target of a pool passes its probes, those alive within this long stay in service
     */
    public record Probe(@DefaultValue("2s") @NotNull Duration interval, @DefaultValue("500ms") @NotNull Duration timeout,
            @DefaultValue("2") @Min(1) int upThreshold, @DefaultValue("1") @Min(1) int downThreshold,
            @DefaultValue("30s") @NotNull Duration keepLastFor) {

        public Probe {
            if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
                throw new IllegalArgumentException("gateway.probe.timeout must not exceed gateway.probe.interval");
            }
        }
    }

    /**
     * @param failureRateThreshold percentage of failed probes and sends that opens the breaker
     * @param slidingWindowSize    outcomes looked at
     * @param minimumNumberOfCalls outcomes needed before the rate counts
     * @param waitInOpenState      time before an open breaker lets probes test the target again
     */
    public record CircuitBreaker(@DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("10") @Min(1) int slidingWindowSize, @DefaultValue("4") @Min(1) int minimumNumberOfCalls,
            @DefaultValue("10s") @NotNull Duration waitInOpenState) {
    }

    /** @param ttl how long a Call-ID keeps its replica after its last message; @param maxEntries bound of that memory */
    public record Affinity(@DefaultValue("64s") @NotNull Duration ttl, @DefaultValue("200000") @Min(1) long maxEntries) {
    }

    /**
     * @param enabled         whether requests are rate limited per source address
     * @param ratePerSecond   sustained requests per second from one source address
     * @param burst           requests a source may send at once (bucket size)
     * @param allow           CIDRs never limited (the targets themselves are never limited)
     * @param trackedSources  source addresses remembered at most (least recently seen forgotten first)
     */
    public record Flood(@DefaultValue("true") boolean enabled, @DefaultValue("50") @Min(1) double ratePerSecond,
            @DefaultValue("100") @Min(1) int burst, @DefaultValue("") List<String> allow,
            @DefaultValue("100000") @Min(1) long trackedSources) {

        public Flood {
            allow = allow == null ? List.of() : allow.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * {@code always}: on every dialog-creating request, one Record-Route per side (RFC 5658 double Record-Route)
     * carrying the flow token of the user agent on that side, so that in-dialog requests reach a user agent over
     * its own flow (TCP connection, NAT binding) and the caller's route set starts at an address it can reach;
     * {@code never}: in-dialog requests bypass the gateway (only for user agents reachable at their Contact).
     */
    public enum RecordRouteMode {
        ALWAYS, NEVER
    }
}
