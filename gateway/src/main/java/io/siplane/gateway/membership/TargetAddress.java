package io.siplane.gateway.membership;

/** One replica: an IP address and a SIP port. */
public record TargetAddress(String ip, int port) {

    public TargetAddress {
        if (ip == null || ip.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad target " + ip + ":" + port);
        }
    }

    @Override
    public String toString() {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
