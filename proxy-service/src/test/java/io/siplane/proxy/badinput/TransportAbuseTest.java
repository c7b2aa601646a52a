package io.siplane.proxy.badinput;

import java.util.HashMap;
import java.util.Map;

import io.siplane.proxy.ProxyApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Over-size datagrams, endless and slow TCP streams, idle connections against the real proxy. */
class TransportAbuseTest extends AbstractTransportAbuseTest {

    static final String DOMAIN = "torture.test";
    private RunningService proxy;

    @Override
    protected SipServiceUnderTest start(Map<String, String> properties) {
        Map<String, String> props = new HashMap<>(Map.of(
                "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8", "proxy.domains", DOMAIN,
                "sip.digest.nonce-secret", "proxy-abuse-nonce-secret-0123456789"));
        props.putAll(properties);
        proxy = RunningService.start(ProxyApplication.class, props);
        return SipServiceUnderTest.of("proxy-service", proxy, DOMAIN);
    }

    @Override
    protected void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
