package io.siplane.proxy.routing;

import java.util.Locale;
import java.util.Optional;

/**
 * The host and port of a SIP URI or of a {@code host[:port]} text, lower-cased host, {@code -1} for no port. Only
 * what routing needs; full URI parsing stays with the SIP stack.
 */
public record HostPort(String host, int port) {

    public static final int NO_PORT = -1;

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is required");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /** {@code example.com}, {@code 10.0.0.1:5060}, {@code [2001:db8::1]:5060}. */
    public static HostPort parse(String text) {
        String s = text.strip();
        int port = NO_PORT;
        String host;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 reference: " + text);
            }
            host = s.substring(0, close + 1);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) {
                port = parsePort(rest.substring(1), text);
            }
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) {
                port = parsePort(s.substring(colon + 1), text);
            }
        }
        return new HostPort(host, port);
    }

    /** The host part of {@code sip:user@host:port;params} (or {@code <…>}), empty when there is none. */
    public static Optional<HostPort> ofUri(String uri) {
        String s = uri.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        s = s.substring(colon + 1);
        int headers = s.indexOf('?');
        if (headers >= 0) {
            s = s.substring(0, headers);
        }
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            s = s.substring(at + 1);
        }
        int params = s.indexOf(';');
        if (params >= 0) {
            s = s.substring(0, params);
        }
        try {
            return s.isEmpty() ? Optional.empty() : Optional.of(parse(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The port, or 5060 when none is given (RFC 3263 without DNS SRV: the default SIP port). */
    public int portOr5060() {
        return port == NO_PORT ? 5060 : port;
    }

    /** Whether the host is an IPv4 or IPv6 literal rather than a name. */
    public boolean isIpLiteral() {
        return host.startsWith("[") || host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') && host.indexOf('.') > 0;
    }

    private static int parsePort(String digits, String text) {
        try {
            int port = Integer.parseInt(digits);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in " + text);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text, e);
        }
    }

    @Override
    public String toString() {
        return port == NO_PORT ? host : host + ":" + port;
    }
}
