package io.siplane.sip.transport;

import io.siplane.sip.Transport;

/**
 * Where a request is sent: an address (IP literal or host name), a port and a transport. The one hop type of every
 * service, whatever engine carries the message ({@link SipSender}).
 */
public record NextHop(String host, int port, Transport transport) {

    public NextHop {
        if (host == null || host.isBlank() || transport == null) {
            throw new IllegalArgumentException("a next hop needs a host and a transport");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port + " for next hop " + host);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port + "/" + transport.token();
    }
}
