package io.siplane.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The SIP listening side of a service (prefix {@code sip}). Validated at start-up.
 *
 * @param bindAddress       local address the UDP and TCP listening points bind to ({@code SIP_BIND_ADDRESS})
 * @param port              SIP port for every transport ({@code SIP_PORT})
 * @param transports        transports to listen on
 * @param advertisedAddress host or IP put in Via, Path and Record-Route ({@code SIP_ADVERTISED_ADDRESS});
 *                          empty means the bind address, which must then not be a wildcard
 * @param advertisedPort    port put in Via, Path and Record-Route; 0 means {@code port}
 * @param stackName         JAIN-SIP {@code STACK_NAME} prefix; a unique suffix is always added because
 *                          {@code SipFactory} caches stacks by name
 * @param threadPoolSize    threads that parse messages and run the handlers
 * @param maxMessageSize    largest message accepted, bytes; also the buffer the RI allocates for every UDP datagram
 *                          it queues, so it bounds memory under a flood (RFC 3261 §18.1.1: large requests go over TCP)
 * @param maxUdpQueue       received UDP messages that may wait for a handler thread; more are dropped (the
 *                          client retransmits) so that a flood cannot exhaust the heap
 * @param congestionTimeout a received UDP message still queued after this is dropped (the client retransmits):
 *                          under overload the registrar sheds load instead of filling its heap
 * @param maxTcpConnections simultaneous TCP connections
 * @param udpBufferSize     socket receive and send buffer for UDP, bytes
 * @param traceLevel        JAIN-SIP {@code TRACE_LEVEL}; 0 (off) unless debugging: it costs throughput
 * @param serverName        value of the Server header on responses; empty for none
 * @param stackProperties   extra JAIN-SIP properties, applied last (for tuning without code)
 */
@Validated
@ConfigurationProperties("sip")
public record SipProperties(
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @DefaultValue("5060") @Min(1) @Max(65535) int port,
        @DefaultValue({"udp", "tcp"}) @NotEmpty Set<Transport> transports,
        @DefaultValue("") String advertisedAddress,
        @DefaultValue("0") @Min(0) @Max(65535) int advertisedPort,
        @DefaultValue("siplane") @NotBlank String stackName,
        @DefaultValue("16") @Min(1) @Max(1024) int threadPoolSize,
        @DefaultValue("8192") @Min(4096) int maxMessageSize,
        @DefaultValue("2000") @Min(10) int maxUdpQueue,
        @DefaultValue("2s") Duration congestionTimeout,
        @DefaultValue("4096") @Min(1) int maxTcpConnections,
        @DefaultValue("1048576") @Min(65536) int udpBufferSize,
        @DefaultValue("0") @Min(0) @Max(32) int traceLevel,
        @DefaultValue("Siplane") String serverName,
        Map<String, String> stackProperties) {

    public SipProperties {
        transports = transports == null || transports.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(transports));
        stackProperties = stackProperties == null ? Map.of() : Map.copyOf(stackProperties);
        advertisedAddress = advertisedAddress == null ? "" : advertisedAddress.strip();
        serverName = serverName == null ? "" : serverName.strip();
        congestionTimeout = congestionTimeout == null ? Duration.ofSeconds(2) : congestionTimeout;
        if (congestionTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("sip.congestion-timeout must be at least 100ms");
        }
        if (advertisedAddress.isEmpty() && bindAddress != null && isWildcard(bindAddress)) {
            throw new IllegalArgumentException("sip.advertised-address (SIP_ADVERTISED_ADDRESS) must be set when sip.bind-address is the "
                    + "wildcard address " + bindAddress + ": it is the host other SIP elements send to (Via, Path, Record-Route)");
        }
    }

    /** Defaults with the given bind address and port: for tests and tools. */
    public static SipProperties of(String bindAddress, int port) {
        return new SipProperties(bindAddress, port, Set.of(Transport.UDP, Transport.TCP), "", 0, "siplane", 16, 8192,
                2000, Duration.ofSeconds(2), 4096, 1 << 20, 0, "Siplane", Map.of());
    }

    /** The host other elements reach this one at. */
    public String advertisedHost() {
        return advertisedAddress.isEmpty() ? bindAddress : advertisedAddress;
    }

    /** The port other elements reach this one at. */
    public int effectiveAdvertisedPort() {
        return advertisedPort == 0 ? port : advertisedPort;
    }

    static boolean isWildcard(String address) {
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
