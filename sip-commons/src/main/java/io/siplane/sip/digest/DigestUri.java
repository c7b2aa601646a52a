package io.siplane.sip.digest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 7616 §3.4.6 (RFC 3261 §22.4): the {@code uri} of the credentials must name the Request-URI, so that credentials
 * captured on one request cannot be replayed on a request for another resource. SIP and SIPS URIs are compared as
 * RFC 3261 §19.1.4 compares them: scheme and host case-insensitively, user case-sensitively after %-unescaping, the
 * port only when equal or absent in both (an explicit default port does not match an absent one). Parameters and
 * headers are not compared: the Request-URI and the uri of one client's request carry the same ones, and an element
 * in between (the gateway, a stateless relay) may reorder or re-escape them. Other schemes must be equal text apart
 * from the scheme's case.
 */
final class DigestUri {

    private DigestUri() {
    }

    static boolean names(String digestUri, String requestUri) {
        Optional<Parts> a = Parts.parse(digestUri);
        Optional<Parts> b = Parts.parse(requestUri);
        return a.isPresent() && a.equals(b);
    }

    /** The compared parts of a URI; {@code port} is -1 when absent. */
    private record Parts(String scheme, String user, String host, int port) {

        static Optional<Parts> parse(String uri) {
            String text = uri.strip();
            int colon = text.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
            String rest = text.substring(colon + 1);
            if (!scheme.equals("sip") && !scheme.equals("sips")) {
                return rest.isEmpty() ? Optional.empty() : Optional.of(new Parts(scheme, rest, "", -1));
            }
            int end = firstOf(rest, ";?", Math.max(0, rest.indexOf('@') + 1));
            String userinfoAndHost = rest.substring(0, end);
            int at = userinfoAndHost.lastIndexOf('@');
            String user = "";
            if (at >= 0) {
                String userinfo = userinfoAndHost.substring(0, at);
                int password = userinfo.indexOf(':');
                Optional<String> unescaped = unescape(password < 0 ? userinfo : userinfo.substring(0, password));
                if (unescaped.isEmpty()) {
                    return Optional.empty();
                }
                user = unescaped.get();
            }
            String hostport = userinfoAndHost.substring(at + 1);
            int portColon = hostport.startsWith("[") ? hostport.indexOf(':', Math.max(0, hostport.indexOf(']'))) : hostport.indexOf(':');
            String host = (portColon < 0 ? hostport : hostport.substring(0, portColon)).toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                return Optional.empty();
            }
            int port = -1;
            if (portColon >= 0) {
                String digits = hostport.substring(portColon + 1);
                if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return Optional.empty();
                }
                port = Integer.parseInt(digits);
            }
            return Optional.of(new Parts(scheme, user, host, port));
        }

        private static int firstOf(String s, String chars, int from) {
            for (int i = from; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return s.length();
        }

        // RFC 3261 §19.1.4: characters other than those in the reserved set are equivalent to their %-encoding
        private static Optional<String> unescape(String s) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '%') {
                    if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                        return Optional.empty();
                    }
                    out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                    i += 2;
                } else {
                    byte[] bytes = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                    out.write(bytes, 0, bytes.length);
                }
            }
            return Optional.of(out.toString(StandardCharsets.UTF_8));
        }
    }
}
