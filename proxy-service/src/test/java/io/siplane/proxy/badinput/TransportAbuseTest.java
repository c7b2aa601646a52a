package io.siplane.proxy.badinput;

import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Over-size datagrams, endless and slow TCP streams, idle connections against the real proxy. */
class TransportAbuseTest extends AbstractTransportAbuseTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputProxy.shared();
    }
}
