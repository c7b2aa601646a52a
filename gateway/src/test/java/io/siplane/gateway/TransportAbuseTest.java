package io.siplane.gateway;


import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Over-size datagrams, endless and slow TCP streams, idle connections against the real gateway. */
class TransportAbuseTest extends AbstractTransportAbuseTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputGateway.shared();
    }

    /** The gateway's application.yml: 65536, so that any UDP datagram fits. */
    @Override
    protected int maxMessageSize() {
        return 65_536;
    }
}
