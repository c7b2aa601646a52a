package io.siplane.sip.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocket;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.siplane.sip.RunningEndpoint;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.SipTarget;
import io.siplane.testsupport.sip.TestUserAgent;
import io.siplane.testsupport.tls.SelfSignedCertificate;
import io.siplane.testsupport.torture.Liveness;

/** SIP over TLS on the Netty engine: the PKCS12 store of {@code sip.tls.*}, TLS 1.3, requests answered on the connection. */
class NettyTlsTest {

    static SelfSignedCertificate certificate;
    static RunningEndpoint endpoint;
    static int tlsPort;

    @BeforeAll
    static void start() {
        certificate = SelfSignedCertificate.generate();
        tlsPort = SipPorts.freeUdpAndTcpPort();
        endpoint = RunningEndpoint.startNetty(SipPorts.freeUdpAndTcpPort(), "OPTIONS", "sip.transports=udp,tcp,tls",
                "sip.tls.port=" + tlsPort, "sip.tls.key-store=" + certificate.keyStore(),
                "sip.tls.key-store-password=" + SelfSignedCertificate.PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        certificate.close();
    }

    @Test
    void anAgentTrustingTheCertificateIsAnsweredOverTls() {
        try (TestUserAgent ua = TestUserAgent.tls(certificate.trustStore(), SelfSignedCertificate.PASSWORD)
                .sendingTo(new SipTarget("127.0.0.1", tlsPort))) {
            Response ok = ua.request(Request.OPTIONS, "sip:127.0.0.1:" + tlsPort).send();

            assertThat(ok.getStatusCode()).isEqualTo(200);
            assertThat(((ViaHeader) ok.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("TLS");
        }
    }

    @Test
    void theServerSpeaksTls13WithItsCertificateAndFramesSipOnIt() throws Exception {
        try (SSLSocket socket = (SSLSocket) certificate.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), tlsPort)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(certificate.certificate());

            socket.getOutputStream().write(Liveness.options("TLS", tlsPort, socket.getLocalPort(), "example.com"));
            byte[] start = socket.getInputStream().readNBytes("SIP/2.0 200 OK".length());
            assertThat(new String(start, StandardCharsets.US_ASCII)).isEqualTo("SIP/2.0 200 OK");
        }
    }
}
