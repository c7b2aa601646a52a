package io.siplane.gateway;

import java.util.Map;

import io.siplane.testsupport.torture.AbstractRfc4475TortureTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** RFC 4475 / RFC 5118 torture messages against the real gateway (in front of answering replicas) over UDP and TCP. */
class Rfc4475TortureTest extends AbstractRfc4475TortureTest {

    @Override
    protected SipServiceUnderTest start() {
        return BadInputGateway.shared();
    }

    @Override
    protected Map<String, String> knownDeviations() {
        return stackDeviationsAnd(Map.of("dblreq", INTERMITTENT + "two requests in one TCP write (REGISTER, then INVITE): "
                + "now and then the gateway's connection to the client is gone before either answer is relayed, and the relay "
                + "tries to open a new connection to the client's ephemeral port (\"Problem connecting\"); both answers are lost"));
    }
}
