package io.siplane.location;

import java.util.Locale;

/** Where a REGISTER physically came from: transport, source address and port (RFC 3581, RFC 5626). */
public record ReceivedFrom(String transport, String address, int port) {

    public ReceivedFrom {
        if (transport == null || transport.isBlank()) {
            throw new IllegalArgumentException("transport is required");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        transport = transport.toLowerCase(Locale.ROOT);
    }

    /** {@code udp:192.0.2.1:5060} — the form stored in Redis. */
    public String text() {
        return transport + ":" + address + ":" + port;
    }

    public static ReceivedFrom parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last <= first) {
            throw new IllegalArgumentException("bad received-from: " + text);
        }
        return new ReceivedFrom(text.substring(0, first), text.substring(first + 1, last),
                Integer.parseInt(text.substring(last + 1)));
    }
}
