package io.siplane.gateway;

import java.util.Map;
import java.util.Set;

import io.siplane.testsupport.torture.AbstractRfc4475TortureTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/** RFC 4475 / RFC 5118 torture messages against the real gateway (in front of answering replicas) over UDP and TCP. */
class Rfc4475TortureTest extends AbstractRfc4475TortureTest {

    private BadInputGateway gateway;

    @Override
    protected SipServiceUnderTest start() {
        gateway = new BadInputGateway();
        return gateway.service();
    }

    @Override
    protected void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Override
    protected Map<String, Set<Integer>> roleExpectations() {
        return Map.of();
    }
}
