package io.siplane.testsupport.sip;

/** Where a test user agent sends its requests (the next hop: a registrar, proxy, gateway…), e.g. 127.0.0.1:5070. */
public record SipTarget(String host, int port) {

    public static SipTarget loopback(int port) {
        return new SipTarget("127.0.0.1", port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
