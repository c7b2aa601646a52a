package io.siplane.gateway.routing;

import io.siplane.sip.Transport;
import io.siplane.sip.message.SourceAddress;

/**
 * A user agent's flow as the gateway saw it (RFC 5626 §3.1 in spirit): the transport and the address and port the
 * packets came from. Over TCP that names one connection, which the stack keeps by remote address, so sending to the
 * flow reuses the connection the user agent opened (through its NAT).
 */
public record Flow(Transport transport, String ip, int port) {

    public static Flow of(SourceAddress source) {
        return new Flow(source.transport(), source.address(), source.port());
    }

    public boolean is(SourceAddress source) {
        return transport == source.transport() && ip.equals(source.address()) && port == source.port();
    }

    @Override
    public String toString() {
        return transport.token() + ":" + ip + ":" + port;
    }
}
