package io.siplane.gateway;

import io.siplane.testsupport.torture.AbstractRfc4475TortureTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** RFC 4475 / RFC 5118 torture messages against the real gateway (in front of answering replicas) over UDP and TCP. */
class Rfc4475TortureTest extends AbstractRfc4475TortureTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputGateway.shared();
    }
}
