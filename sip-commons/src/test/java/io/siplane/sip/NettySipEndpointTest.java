package io.siplane.sip;

/** {@link SipEndpointTest} against the Netty engine: the same behaviour over UDP and TCP, the same clean stop. */
class NettySipEndpointTest extends SipEndpointTest {

    @Override
    protected String engine() {
        return SipProperties.NETTY;
    }
}
