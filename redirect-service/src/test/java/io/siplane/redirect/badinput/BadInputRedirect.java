package io.siplane.redirect.badinput;

import java.util.Map;

import io.siplane.redirect.RedirectApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.app.SharedServices;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** The real redirect server the bad-input tests share (one start-up for the torture, fuzz and abuse tests). */
final class BadInputRedirect {

    static final String DOMAIN = "torture.test";

    private BadInputRedirect() {
    }

    static SipServiceUnderTest shared() {
        return SharedServices.once("redirect-bad-input", () -> SipServiceUnderTest.of("redirect-service",
                RunningService.start(RedirectApplication.class, Map.of(
                        "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                        "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8",
                        "sip.max-tcp-connections", String.valueOf(AbstractTransportAbuseTest.CONNECTION_LIMIT),
                        "redirect.domains", DOMAIN)),
                DOMAIN));
    }
}
