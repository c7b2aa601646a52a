package io.siplane.sip.parser;

import io.siplane.sip.RunningEndpoint;

/** {@link MalformedRequestTest} against the Netty engine: same parser guards, same answers, over UDP and TCP. */
class NettyMalformedRequestTest extends MalformedRequestTest {

    @Override
    RunningEndpoint startEndpoint() {
        return RunningEndpoint.startNetty(PORT, "OPTIONS,INVITE,NEWMETHOD", "sip.max-message-size=8192");
    }
}
