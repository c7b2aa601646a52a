package io.siplane.redirect.badinput;

import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** Over-size datagrams, endless and slow TCP streams, idle connections against the real redirect server. */
class TransportAbuseTest extends AbstractTransportAbuseTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputRedirect.shared();
    }
}
