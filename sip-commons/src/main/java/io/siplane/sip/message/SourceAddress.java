package io.siplane.sip.message;

import io.siplane.sip.Transport;

/** Where a message physically came from: the transport it arrived on and the peer's address and port. */
public record SourceAddress(Transport transport, String address, int port) {

    public SourceAddress {
        if (transport == null || address == null || address.isBlank()) {
            throw new IllegalArgumentException("transport and address are required");
        }
    }

    @Override
    public String toString() {
        return transport.token() + ":" + address + ":" + port;
    }
}
