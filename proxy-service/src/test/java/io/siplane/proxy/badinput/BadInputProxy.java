package io.siplane.proxy.badinput;

import java.util.Map;

import io.siplane.proxy.ProxyApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.app.SharedServices;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** The real proxy the bad-input tests share (one start-up for the torture, fuzz and abuse tests). */
final class BadInputProxy {

    static final String DOMAIN = "torture.test";

    private BadInputProxy() {
    }

    static SipServiceUnderTest shared() {
        return SharedServices.once("proxy-bad-input", () -> SipServiceUnderTest.of("proxy-service",
                RunningService.start(ProxyApplication.class, Map.of(
                        "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                        "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8",
                        "sip.max-tcp-connections", String.valueOf(AbstractTransportAbuseTest.CONNECTION_LIMIT),
                        "sip.digest.nonce-secret", "proxy-bad-input-nonce-secret-0123456789", "proxy.domains", DOMAIN)),
                DOMAIN));
    }
}
