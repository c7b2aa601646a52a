package io.siplane.proxy.routing;

import java.util.Locale;

/** Where a request is sent: transport ({@code udp}, {@code tcp}), address and port. */
public record NextHop(String transport, String host, int port) {

    public NextHop {
        if (transport == null || host == null || host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("transport, host and port are required");
        }
        transport = transport.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return transport + ":" + host + ":" + port;
    }
}
