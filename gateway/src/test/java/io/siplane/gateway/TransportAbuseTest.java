package io.siplane.gateway;

import java.util.Map;

import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Over-size datagrams, endless and slow TCP streams, idle connections against the real gateway. */
class TransportAbuseTest extends AbstractTransportAbuseTest {

    private BadInputGateway gateway;

    @Override
    protected SipServiceUnderTest start(Map<String, String> properties) {
        gateway = new BadInputGateway(properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        return gateway.service();
    }

    @Override
    protected void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** The gateway's application.yml: 65536, so that any UDP datagram fits. */
    @Override
    protected int maxMessageSize() {
        return 65_536;
    }
}
