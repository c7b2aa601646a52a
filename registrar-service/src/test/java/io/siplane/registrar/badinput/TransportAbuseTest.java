package io.siplane.registrar.badinput;

import java.util.HashMap;
import java.util.Map;

import io.siplane.registrar.RegistrarApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Over-size datagrams, endless and slow TCP streams, idle connections against the real registrar. */
class TransportAbuseTest extends AbstractTransportAbuseTest {

    static final String DOMAIN = "torture.test";
    private RunningService registrar;

    @Override
    protected SipServiceUnderTest start(Map<String, String> properties) {
        Map<String, String> props = new HashMap<>(Map.of(
                "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8",
                "sip.digest.nonce-secret", "registrar-abuse-nonce-secret-0123456789", "registrar.domains", DOMAIN));
        props.putAll(properties);
        registrar = RunningService.start(RegistrarApplication.class, props);
        return SipServiceUnderTest.of("registrar-service", registrar, DOMAIN);
    }

    @Override
    protected void stop() {
        if (registrar != null) {
            registrar.close();
        }
    }
}
