package io.siplane.registrar.badinput;

import java.util.Map;

import io.siplane.registrar.RegistrarApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.app.SharedServices;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** The real registrar the bad-input tests share (one start-up for the torture, fuzz and abuse tests). */
final class BadInputRegistrar {

    static final String DOMAIN = "torture.test";

    private BadInputRegistrar() {
    }

    static SipServiceUnderTest shared() {
        return SharedServices.once("registrar-bad-input", () -> SipServiceUnderTest.of("registrar-service",
                RunningService.start(RegistrarApplication.class, Map.of(
                        "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                        "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8",
                        "sip.max-tcp-connections", String.valueOf(AbstractTransportAbuseTest.CONNECTION_LIMIT),
                        "sip.digest.nonce-secret", "registrar-bad-input-nonce-secret-0123456789", "registrar.domains", DOMAIN)),
                DOMAIN));
    }
}
