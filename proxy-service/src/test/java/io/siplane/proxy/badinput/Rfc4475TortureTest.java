package io.siplane.proxy.badinput;

import java.util.Map;
import java.util.Set;

import io.siplane.proxy.ProxyApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractRfc4475TortureTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** RFC 4475 / RFC 5118 torture messages against the real proxy over UDP and TCP. */
class Rfc4475TortureTest extends AbstractRfc4475TortureTest {

    static final String DOMAIN = "torture.test";
    private RunningService proxy;

    @Override
    protected SipServiceUnderTest start() {
        proxy = RunningService.start(ProxyApplication.class, Map.of(
                "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8",
                "sip.digest.nonce-secret", "proxy-torture-nonce-secret-0123456789", "proxy.domains", DOMAIN));
        return SipServiceUnderTest.of("proxy-service", proxy, DOMAIN);
    }

    @Override
    protected void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Override
    protected Map<String, Set<Integer>> roleExpectations() {
        return Map.of(
                // RFC 4475 §3.3.2/§3.3.3: a Request-URI scheme the proxy does not route
                "unkscm", Set.of(416), "novelsc", Set.of(416, 404),
                // RFC 3261 §16.3 step 5: an unsupported Proxy-Require
                "bext01", Set.of(420),
                // RFC 4475 §3.3.11, RFC 3261 §16.3 step 3
                "zeromf", Set.of(483, 200));
    }
}
