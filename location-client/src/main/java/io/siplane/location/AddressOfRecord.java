package io.siplane.location;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A canonical address-of-record: {@code sip:user@host[:port]}.
 *
 * <p>RFC 3261 §10.3 step 5: all URI parameters (including user-param) and headers are removed and
 * escaped characters are unescaped. RFC 3261 §19.1.4: scheme and host compare case-insensitively
 * (both are lower-cased here), the user part case-sensitively; an explicit port is kept because
 * a URI with a port is not equal to one without. An escaped control character stays in {@link #user()} (it names
 * another user, RFC 4475 §3.1.1.4) and is escaped again in {@link #uri()}; no subscriber can be named so (the REST
 * API refuses such names).
 */
public record AddressOfRecord(String scheme, String user, String host, int port) {

    public static final int NO_PORT = -1;

    public AddressOfRecord {
        if (!"sip".equals(scheme) && !"sips".equals(scheme)) {
            throw new IllegalArgumentException("scheme must be sip or sips");
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("an address-of-record needs a user part");
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("an address-of-record needs a host");
        }
        if (port != NO_PORT && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range");
        }
    }

    public static AddressOfRecord of(String user, String domain) {
        return parse("sip:" + user + "@" + domain);
    }

    /**
     * Parses {@code sip:alice@example.com}, {@code sips:…}, {@code <sip:…>}, or a bare
     * {@code alice@example.com} (taken as sip:), dropping parameters and headers.
     *
     * @throws IllegalArgumentException when the text is not a SIP/SIPS URI with a user part
     */
    public static AddressOfRecord parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("address-of-record is missing");
        }
        String s = text.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.isEmpty() || s.length() > 512) {
            throw new IllegalArgumentException("address-of-record is empty or too long");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\') {
                throw new IllegalArgumentException("address-of-record contains a character not allowed in a SIP URI");
            }
        }
        String scheme = "sip";
        int colon = s.indexOf(':');
        int at = s.indexOf('@');
        if (colon >= 0 && (at < 0 || colon < at)) {
            String candidate = s.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!candidate.equals("sip") && !candidate.equals("sips")) {
                throw new IllegalArgumentException("not a SIP or SIPS URI: scheme " + candidate);
            }
            scheme = candidate;
            s = s.substring(colon + 1);
        }
        // headers (?...) and parameters (;...) of the host part go; a ';' inside the user part is allowed
        at = s.lastIndexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("an address-of-record needs user@host");
        }
        String userPart = s.substring(0, at);
        String hostPart = s.substring(at + 1);
        int cut = indexOfAny(hostPart, ";?");
        if (cut >= 0) {
            hostPart = hostPart.substring(0, cut);
        }
        // a password is not part of the AOR
        int pw = userPart.indexOf(':');
        if (pw >= 0) {
            userPart = userPart.substring(0, pw);
        }
        String user = unescape(userPart);
        if (user.isEmpty()) {
            throw new IllegalArgumentException("an address-of-record needs a user part");
        }
        String host = hostPart;
        int port = NO_PORT;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 reference");
            }
            String rest = host.substring(close + 1);
            host = host.substring(0, close + 1);
            if (!rest.isEmpty()) {
                port = parsePort(rest);
            }
        } else {
            int pc = host.lastIndexOf(':');
            if (pc >= 0) {
                port = parsePort(host.substring(pc));
                host = host.substring(0, pc);
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.isEmpty() || !validHost(host)) {
            throw new IllegalArgumentException("invalid host in address-of-record");
        }
        return new AddressOfRecord(scheme, user, host, port);
    }

    /** Like {@link #parse(String)} but empty instead of an exception. */
    public static Optional<AddressOfRecord> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The domain part used for authority checks and listing: host (without port). */
    public String domain() {
        return host;
    }

    /** Canonical URI text, e.g. {@code sip:alice@example.com}; user characters re-escaped where needed. */
    public String uri() {
        return scheme + ":" + escapeUser(user) + "@" + host + (port == NO_PORT ? "" : ":" + port);
    }

    @Override
    public String toString() {
        return uri();
    }

    private static int parsePort(String withColon) {
        if (!withColon.startsWith(":") || withColon.length() < 2 || withColon.length() > 6) {
            throw new IllegalArgumentException("invalid port in address-of-record");
        }
        for (int i = 1; i < withColon.length(); i++) {
            if (!Character.isDigit(withColon.charAt(i))) {
                throw new IllegalArgumentException("invalid port in address-of-record");
            }
        }
        int port = Integer.parseInt(withColon.substring(1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        return port;
    }

    private static boolean validHost(String host) {
        if (host.startsWith("[")) {
            return host.endsWith("]") && host.length() > 2
                    && host.substring(1, host.length() - 1).chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        return host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')
                && !host.startsWith(".") && !host.startsWith("-");
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("bad escape in user part");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape in user part");
                }
                // RFC 4475 §3.1.1.4: an escaped NUL (or other control character) is part of a distinct user, not
                // its end; uri() escapes it again, so keys, logs and headers built from the AOR never carry it raw
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved )
    private static final String USER_SAFE = "-_.!~*'()&=+$,;?/";

    private static String escapeUser(String user) {
        StringBuilder sb = null;
        byte[] bytes = user.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean safe = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || (b < 0x80 && USER_SAFE.indexOf(b) >= 0);
            if (!safe && sb == null) {
                sb = new StringBuilder(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (sb != null) {
                if (safe) {
                    sb.append((char) b);
                } else {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
            }
        }
        return sb == null ? user : sb.toString();
    }
}
