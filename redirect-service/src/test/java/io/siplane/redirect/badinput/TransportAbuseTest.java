package io.siplane.redirect.badinput;

import java.util.HashMap;
import java.util.Map;

import io.siplane.redirect.RedirectApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Over-size datagrams, endless and slow TCP streams, idle connections against the real redirect server. */
class TransportAbuseTest extends AbstractTransportAbuseTest {

    static final String DOMAIN = "torture.test";
    private RunningService redirect;

    @Override
    protected SipServiceUnderTest start(Map<String, String> properties) {
        Map<String, String> props = new HashMap<>(Map.of(
                "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8", "redirect.domains", DOMAIN));
        props.putAll(properties);
        redirect = RunningService.start(RedirectApplication.class, props);
        return SipServiceUnderTest.of("redirect-service", redirect, DOMAIN);
    }

    @Override
    protected void stop() {
        if (redirect != null) {
            redirect.close();
        }
    }
}
