package io.siplane.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
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
 * @param bindAddress       local address the listening points bind to ({@code SIP_BIND_ADDRESS})
 * @param port              SIP port for UDP and TCP ({@code SIP_PORT}); TLS has its own ({@link Tls#port})
 * @param transports        transports to listen on: {@code udp}, {@code tcp}, {@code tls}
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
 * @param tls               SIP over TLS, used when {@code transports} includes {@code tls}
 * @param engine            what carries SIP: {@code jain-sip} (the RI's stack, transactions included; the default)
 *                          or {@code netty} (the stateless event-loop engine of {@code io.siplane.sip.netty})
 * @param netty             settings of the Netty engine ({@code sip.netty.*})
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
        Map<String, String> stackProperties,
        @DefaultValue Tls tls,
        @DefaultValue(JAIN_SIP) String engine,
        @DefaultValue Netty netty) {

    /** {@code sip.engine} of the JAIN-SIP RI. */
    public static final String JAIN_SIP = "jain-sip";
    /** {@code sip.engine} of the Netty engine. */
    public static final String NETTY = "netty";

    public SipProperties {
        tls = tls == null ? Tls.defaults() : tls;
        netty = netty == null ? Netty.defaults() : netty;
        engine = engine == null || engine.isBlank() ? JAIN_SIP : engine.strip().toLowerCase(java.util.Locale.ROOT);
        if (!engine.equals(JAIN_SIP) && !engine.equals(NETTY)) {
            throw new IllegalArgumentException("sip.engine must be " + JAIN_SIP + " or " + NETTY + ", not '" + engine + "'");
        }
        transports = transports == null || transports.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(transports));
        stackProperties = stackProperties == null ? Map.of() : Map.copyOf(stackProperties);
        advertisedAddress = advertisedAddress == null ? "" : advertisedAddress.strip();
        serverName = serverName == null ? "" : serverName.strip();
        congestionTimeout = congestionTimeout == null ? Duration.ofSeconds(2) : congestionTimeout;
        if (congestionTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("sip.congestion-timeout must be at least 100ms");
        }
        if (transports.contains(Transport.TLS) && tls.keyStore().isEmpty()) {
            throw new IllegalArgumentException("sip.tls.key-store (SIP_TLS_KEY_STORE) must name a PKCS12 key store with this "
                    + "service's certificate and private key when sip.transports includes tls");
        }
        if (transports.contains(Transport.TLS) && (tls.port() == port)) {
            throw new IllegalArgumentException("sip.tls.port must differ from sip.port (" + port + "): TCP listens there");
        }
        if (advertisedAddress.isEmpty() && bindAddress != null && isWildcard(bindAddress)) {
            throw new IllegalArgumentException("sip.advertised-address (SIP_ADVERTISED_ADDRESS) must be set when sip.bind-address is the "
                    + "wildcard address " + bindAddress + ": it is the host other SIP elements send to (Via, Path, Record-Route)");
        }
    }

    /** Defaults with the given bind address and port: for tests and tools. */
    public static SipProperties of(String bindAddress, int port) {
        return new SipProperties(bindAddress, port, Set.of(Transport.UDP, Transport.TCP), "", 0, "siplane", 16, 8192,
                2000, Duration.ofSeconds(2), 4096, 1 << 20, 0, "Siplane", Map.of(), Tls.defaults(), JAIN_SIP, Netty.defaults());
    }

    /** These properties with another {@code sip.engine}: for tests and tools. */
    public SipProperties withEngine(String newEngine) {
        return new SipProperties(bindAddress, port, transports, advertisedAddress, advertisedPort, stackName, threadPoolSize,
                maxMessageSize, maxUdpQueue, congestionTimeout, maxTcpConnections, udpBufferSize, traceLevel, serverName,
                stackProperties, tls, newEngine, netty);
    }

    /** Whether {@code sip.engine} is {@code netty}. */
    public boolean nettyEngine() {
        return NETTY.equals(engine);
    }

    /**
     * The Netty engine (prefix {@code sip.netty}).
     *
     * @param eventLoops     event loop threads; 0 means one per available core. Each loop reads its own UDP socket
     *                       (SO_REUSEPORT, with epoll) and runs the request chain of what it reads
     * @param connectTimeout bound on opening a TCP or TLS connection to a next hop or a client
     */
    public record Netty(
            @DefaultValue("0") @Min(0) @Max(256) int eventLoops,
            @DefaultValue("3s") Duration connectTimeout) {

        public Netty {
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(3) : connectTimeout;
            if (eventLoops < 0 || connectTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("sip.netty.event-loops must be 0 or more, sip.netty.connect-timeout positive");
            }
        }

        public static Netty defaults() {
            return new Netty(0, Duration.ofSeconds(3));
        }

        /** The loops to start: {@link #eventLoops}, or one per available core. */
        public int effectiveEventLoops() {
            return eventLoops > 0 ? eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors());
        }
    }

    /** The port {@code transport} listens on: {@link Tls#port} for TLS, else {@link #port}. */
    public int port(Transport transport) {
        return transport == Transport.TLS ? tls.port() : port;
    }

    /** The port other elements reach this one at over {@code transport} (Via, Path, Record-Route). */
    public int advertisedPort(Transport transport) {
        return transport == Transport.TLS ? tls.port() : effectiveAdvertisedPort();
    }

    /** The host other elements reach this one at. */
    public String advertisedHost() {
        return advertisedAddress.isEmpty() ? bindAddress : advertisedAddress;
    }

    /** The port other elements reach this one at. */
    public int effectiveAdvertisedPort() {
        return advertisedPort == 0 ? port : advertisedPort;
    }

    /**
     * SIP over TLS (RFC 3261 §26.2.1), prefix {@code sip.tls}. The key store holds this service's certificate and key;
     * the trust store the certificates (or CAs) of peers it connects to, and of clients when they must present one.
     *
     * @param port               TLS listening port ({@code SIP_TLS_PORT}), 5061 by default (RFC 3261 §19.1.2)
     * @param keyStore           PKCS12 (or JKS) file with the certificate chain and private key ({@code SIP_TLS_KEY_STORE})
     * @param keyStorePassword   its password ({@code SIP_TLS_KEY_STORE_PASSWORD})
     * @param keyStoreType       {@code PKCS12} or {@code JKS}
     * @param trustStore         file of trusted certificates; empty means the key store
     * @param trustStorePassword its password; empty means the key store's
     * @param clientAuth         {@code Disabled} (phones rarely have certificates), {@code Want} or {@code Enabled}
     *                           (required, mutual TLS)
     * @param protocols          TLS versions offered
     * @param cipherSuites       suites offered, replacing JAIN-SIP's defaults (which include anonymous DH and 3DES)
     * @param handshakeTimeout   a connection that has not completed its handshake by then is closed (idle connects
     *                           would otherwise hold a reader thread each)
     */
    public record Tls(
            @DefaultValue("5061") @Min(1) @Max(65535) int port,
            @DefaultValue("") String keyStore,
            @DefaultValue("") String keyStorePassword,
            @DefaultValue("PKCS12") String keyStoreType,
            @DefaultValue("") String trustStore,
            @DefaultValue("") String trustStorePassword,
            @DefaultValue("Disabled") ClientAuth clientAuth,
            @DefaultValue({"TLSv1.3", "TLSv1.2"}) List<String> protocols,
            @DefaultValue({"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"})
            List<String> cipherSuites,
            @DefaultValue("5s") Duration handshakeTimeout) {

        /** JAIN-SIP's {@code TLS_CLIENT_AUTH_TYPE} values we allow. */
        public enum ClientAuth { Disabled, Want, Enabled }

        public Tls {
            keyStore = keyStore == null ? "" : keyStore.strip();
            keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
            keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? "PKCS12" : keyStoreType.strip();
            trustStore = trustStore == null ? "" : trustStore.strip();
            trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
            clientAuth = clientAuth == null ? ClientAuth.Disabled : clientAuth;
            protocols = protocols == null || protocols.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
            cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
            handshakeTimeout = handshakeTimeout == null ? Duration.ofSeconds(5) : handshakeTimeout;
        }

        /** TLS settings with nothing configured (TLS off unless {@code transports} asks for it). */
        public static Tls defaults() {
            return new Tls(5061, "", "", "PKCS12", "", "", ClientAuth.Disabled, List.of("TLSv1.3", "TLSv1.2"),
                    List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
                            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                    Duration.ofSeconds(5));
        }

        /** These settings with a key store (and its password): for tests and tools. */
        public Tls withKeyStore(String file, String password, int tlsPort) {
            return new Tls(tlsPort, file, password, keyStoreType, trustStore, trustStorePassword, clientAuth, protocols,
                    cipherSuites, handshakeTimeout);
        }

        @Override
        public String toString() {
            return "Tls[port=" + port + ", keyStore=" + keyStore + ", keyStoreType=" + keyStoreType + ", trustStore="
                    + trustStore + ", clientAuth=" + clientAuth + ", protocols=" + protocols + ", passwords=(redacted)]";
        }
    }

    static boolean isWildcard(String address) {
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
