package io.siplane.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SipTlsPropertiesTest {

    private static SipProperties with(Set<Transport> transports, SipProperties.Tls tls) {
        return new SipProperties("127.0.0.1", 5070, transports, "", 0, "t", 4, 8192, 100, Duration.ofSeconds(2), 16, 1 << 20,
                0, "", Map.of(), tls, SipProperties.JAIN_SIP, SipProperties.Netty.defaults());
    }

    @Test
    void tlsListensOnItsOwnPortAndIsAdvertisedWithIt() {
        SipProperties p = with(Set.of(Transport.UDP, Transport.TLS), SipProperties.Tls.defaults().withKeyStore("/k.p12", "pw", 5071));
        assertThat(p.port(Transport.UDP)).isEqualTo(5070);
        assertThat(p.port(Transport.TLS)).isEqualTo(5071);
        assertThat(p.advertisedPort(Transport.TLS)).isEqualTo(5071);
        assertThat(p.advertisedPort(Transport.UDP)).isEqualTo(5070);
        assertThat(p.toString()).doesNotContain("pw,").contains("redacted");
    }

    @Test
    void tlsNeedsAKeyStoreAndItsOwnPort() {
        assertThatThrownBy(() -> with(Set.of(Transport.TLS), SipProperties.Tls.defaults())).hasMessageContaining("sip.tls.key-store");
        assertThatThrownBy(() -> with(Set.of(Transport.TCP, Transport.TLS), SipProperties.Tls.defaults().withKeyStore("/k.p12", "pw", 5070)))
                .hasMessageContaining("sip.tls.port");
        assertThat(with(Set.of(Transport.UDP), SipProperties.Tls.defaults()).transports()).containsExactly(Transport.UDP);
    }

    @Test
    void defaultsOfferOnlyTls13And12WithModernSuitesAndNoClientCertificate() {
        SipProperties.Tls tls = SipProperties.Tls.defaults();
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.cipherSuites()).allMatch(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20") || s.startsWith("TLS_ECDHE_"))
                .noneMatch(s -> s.contains("anon") || s.contains("3DES") || s.contains("CBC"));
        assertThat(tls.clientAuth()).isEqualTo(SipProperties.Tls.ClientAuth.Disabled);
        assertThat(TlsStores.stackProperties(tls.withKeyStore("/k.p12", "pw", 5061)))
                .containsEntry("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false")
                .containsEntry("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled")
                .containsEntry("javax.net.ssl.trustStore", "/k.p12");
    }
}
