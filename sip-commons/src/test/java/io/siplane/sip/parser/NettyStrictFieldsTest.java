package io.siplane.sip.parser;

import io.siplane.sip.RunningEndpoint;

/** {@link StrictFieldsTest} against the Netty engine. */
class NettyStrictFieldsTest extends StrictFieldsTest {

    @Override
    protected RunningEndpoint startEndpoint(int onPort) {
        return RunningEndpoint.startNetty(onPort, "OPTIONS");
    }
}
