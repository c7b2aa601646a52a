package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;
import io.siplane.testsupport.tls.SelfSignedCertificate;

/**
 * SIP over TLS as a configuration option: the registrar listens on TLS ({@code sip.transports=udp,tcp,tls},
 * {@code sip.tls.*}) with a self-signed certificate generated for this test, and a user agent that trusts that
 * certificate registers over TLS with digest. A client that trusts another certificate, or offers only TLS 1.1, gets
 * no connection.
 */
class RegisterOverTlsTest {

    static SelfSignedCertificate certificate;
    static SelfSignedCertificate stranger;
    static RunningRegistrar registrar;
    static int tlsPort;

    @BeforeAll
    static void start() {
        certificate = SelfSignedCertificate.generate();
        stranger = SelfSignedCertificate.generate();
        tlsPort = SipPorts.freeUdpAndTcpPort();
        // SHA-256 alone (RFC 8760), as a deployment that asks for it is configured
        registrar = RunningRegistrar.start("sip.digest.algorithms=SHA-256", "sip.transports=udp,tcp,tls", "sip.tls.port=" + tlsPort,
                "sip.tls.key-store=" + certificate.keyStore(), "sip.tls.key-store-password=" + SelfSignedCertificate.PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (registrar != null) {
            registrar.close();
        }
        certificate.close();
        stranger.close();
    }

    @Test
    void anAgentTrustingTheCertificateRegistersOverTlsWithDigest() {
        registrar.subscriber("tls-alice", "tls-password");
        try (TestUserAgent ua = TestUserAgent.tls(certificate.trustStore(), SelfSignedCertificate.PASSWORD)
                .sendingTo(new SipTarget("127.0.0.1", tlsPort)).defaultUser("tls-alice")) {
            Response ok = ua.register("tls-alice", RunningRegistrar.DOMAIN).send(Credentials.sha256("tls-alice", "tls-password"));

            assertThat(ok.getStatusCode()).isEqualTo(200);
            assertThat(((ViaHeader) ok.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("TLS");
            List<Binding> bindings = registrar.store().lookup(AddressOfRecord.parse("sip:tls-alice@" + RunningRegistrar.DOMAIN));
            assertThat(bindings).hasSize(1);
            assertThat(bindings.get(0).contactUri()).endsWith(";transport=tls");
            assertThat(bindings.get(0).received()).hasValueSatisfying(r -> assertThat(r.transport()).isEqualTo("tls"));
        }
    }

    @Test
    void theServerSpeaksTls13WithItsCertificateAndRefusesTls11() throws Exception {
        try (SSLSocket socket = (SSLSocket) certificate.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), tlsPort)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(certificate.certificate());
        }
        SSLContext old = certificate.clientContext();
        try (SSLSocket socket = (SSLSocket) old.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), tlsPort)) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateGetsNoConnection() throws Exception {
        try (SSLSocket socket = (SSLSocket) stranger.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), tlsPort)) {
            socket.setSoTimeout(5000);
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void tlsWithoutAKeyStoreIsRefusedAtStartUpWithAClearMessage() {
        assertThatThrownBy(() -> RunningRegistrar.start("sip.transports=udp,tcp,tls", "sip.tls.port=" + SipPorts.freeUdpAndTcpPort()))
                .hasStackTraceContaining("sip.tls.key-store");
        assertThatThrownBy(() -> RunningRegistrar.start("sip.transports=tls", "sip.tls.port=" + SipPorts.freeUdpAndTcpPort(),
                "sip.tls.key-store=" + certificate.trustStore(), "sip.tls.key-store-password=" + SelfSignedCertificate.PASSWORD))
                .hasStackTraceContaining("holds no private key");
    }
}
