package io.siplane.testsupport.torture;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points a torture message at loopback: every host in its header sections becomes loopback or the served test
 * domain, every port becomes the sender's own, so that whatever the server under test sends back or on (responses,
 * relayed requests) comes to the test and nothing leaves the machine. Bodies (SDP) are left alone, so Content-Length
 * keeps its meaning, right or deliberately wrong.
 *
 * <ul>
 * <li>Via sent-by: {@code 127.0.0.1:replyPort} ({@code [::1]:replyPort} for an IPv6 reference); the topmost Via also
 *     names the transport the message really travels on, as a client would.</li>
 * <li>IPv6 references: {@code [::1]}, or {@code [::ffff:127.0.0.1]} when written with a dotted quad; an invalid one
 *     stays invalid ({@code [:::1]}); ports become {@code replyPort}.</li>
 * <li>IPv4 addresses (documentation, broadcast or loopback): {@code 127.0.0.1}, ports {@code replyPort}.</li>
 * <li>Host names ({@code *.com}, {@code .net}, {@code .org}, {@code .edu}): the test domain, ports {@code replyPort}.</li>
 * <li>Route and Record-Route hosts, and {@code maddr}: {@code 127.0.0.1:replyPort} (a proxy sends there).</li>
 * </ul>
 * The rest of every byte (odd whitespace, escapes, NULs, raw UTF-8) is kept: headers are handled as ISO-8859-1.
 */
public final class HostRewriter {

    private static final Pattern VIA_SENT_BY = Pattern.compile(
            "(SIP\\s*/\\s*[0-9.]+\\s*/\\s*)([A-Za-z0-9._\\-]+)(\\s+)(\\[[0-9A-Fa-f:.]*\\]|[A-Za-z0-9._\\-]+)(:[0-9]+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV6_REFERENCE = Pattern.compile("\\[([0-9A-Fa-f:.]*)\\](:[0-9]+)?");
    private static final Pattern UNBRACKETED_IPV6 = Pattern.compile(
            "(received=|sips?:)([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f.]{0,15}){2,})(?![0-9A-Za-z@\\]])", Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![0-9A-Za-z.\\-])([0-9]{1,3}(?:\\.[0-9]{1,3}){3})(?![0-9A-Za-z\\-]|\\.[0-9A-Za-z])(:[0-9]+)?");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?<![0-9A-Za-z.\\-_%])((?:[A-Za-z0-9\\-]+\\.)+(?:com|net|org|edu))(?![0-9A-Za-z\\-.])(:[0-9]+)?",
            Pattern.CASE_INSENSITIVE);
    /** An escaped {@code @} in a user part ({@code sips%3Auser%40example.com@...}): not a host, rewritten for tidiness. */
    private static final Pattern ESCAPED_HOST_NAME = Pattern.compile(
            "(%40)((?:[A-Za-z0-9\\-]+\\.)+(?:com|net|org|edu))(?![0-9A-Za-z\\-.])", Pattern.CASE_INSENSITIVE);
    /** Route and Record-Route fields, continuation lines included: a proxy sends to what they name. */
    private static final Pattern ROUTE_FIELD = Pattern.compile("(?im)^(?:route|record-route)[ \\t]*:[^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*");
    private static final Pattern MADDR = Pattern.compile("(?i)(maddr=)([A-Za-z0-9.\\-\\[\\]:]+)");
    /** A magic-cookie branch (RFC 3261 §8.1.1.7) with an identifier after the cookie. */
    private static final Pattern BRANCH = Pattern.compile("(?i)(branch\\s*=\\s*)(z9hG4bK[^;,\\s]+)");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:content-length|l)[ \\t]*:[ \\t]*(-?[0-9]{1,9})[ \\t]*$");

    private HostRewriter() {
    }

    /**
     * @param message   the message as the RFC gives it
     * @param domain    the domain the server under test serves (replaces host names)
     * @param transport {@code UDP} or {@code TCP}: what the message travels on
     * @param replyPort the sender's own port
     */
    public static byte[] rewrite(byte[] message, String domain, String transport, int replyPort) {
        return rewrite(message, domain, transport, replyPort, "");
    }

    /**
     * Also appends {@code branchSuffix} to every magic-cookie branch that has an identifier: the RFCs reuse a few
     * branch values across messages, and JAIN-SIP RI matches server transactions on the branch alone (not branch +
     * sent-by + method, RFC 3261 §17.2.3), so a stateful server would silently drop the second message for as long as
     * the first one's transaction lives (32 s). A bare {@code z9hG4bK} (RFC 4475 §3.2.1) stays as it is.
     */
    public static byte[] rewrite(byte[] message, String domain, String transport, int replyPort, String branchSuffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 64);
        int offset = 0;
        while (offset < message.length) {
            int headerEnd = indexOf(message, offset, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            int bodyStart = headerEnd < 0 ? message.length : headerEnd + 4;
            String headers = new String(message, offset, bodyStart - offset, StandardCharsets.ISO_8859_1);
            // every message's own topmost Via names the transport it travels on (RFC 3261 §18.1.1), the trailing
            // request of an over-long datagram (RFC 4475 §3.1.1.8) included, which over TCP is simply the next message
            String rewritten = rewriteHeaders(headers, domain, transport, replyPort, true);
            if (!branchSuffix.isEmpty()) {
                rewritten = BRANCH.matcher(rewritten).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + "-" + branchSuffix));
            }
            out.writeBytes(rewritten.getBytes(StandardCharsets.ISO_8859_1));
            // the body as framed by its own Content-Length: what follows it (RFC 4475 §3.1.1.8) is a message too
            Matcher cl = CONTENT_LENGTH.matcher(headers);
            int length = cl.find() ? Integer.parseInt(cl.group(1)) : -1;
            int bodyEnd = length < 0 || bodyStart + length > message.length ? message.length : bodyStart + length;
            out.write(message, bodyStart, bodyEnd - bodyStart);
            offset = bodyEnd;
        }
        return out.toByteArray();
    }

    static String rewriteHeaders(String headers, String domain, String transport, int replyPort, boolean topmost) {
        String port = ":" + replyPort;
        StringBuilder vias = new StringBuilder();
        Matcher via = VIA_SENT_BY.matcher(headers);
        boolean firstVia = topmost;
        while (via.find()) {
            String host = via.group(4).startsWith("[") ? "[::1]" : "127.0.0.1";
            String token = firstVia ? transport.toUpperCase(Locale.ROOT) : via.group(2);
            firstVia = false;
            via.appendReplacement(vias, Matcher.quoteReplacement(via.group(1) + token + via.group(3) + host + port));
        }
        via.appendTail(vias);

        StringBuilder v6 = new StringBuilder();
        Matcher reference = IPV6_REFERENCE.matcher(vias);
        while (reference.find()) {
            String address = reference.group(1);
            boolean dotted = address.contains(".");
            String loopback = isIpv6(address) ? (dotted ? "::ffff:127.0.0.1" : "::1") : (dotted ? ":::127.0.0.1" : ":::1");
            reference.appendReplacement(v6, Matcher.quoteReplacement("[" + loopback + "]" + (reference.group(2) != null ? port : "")));
        }
        reference.appendTail(v6);

        String text = UNBRACKETED_IPV6.matcher(v6).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "::1"));
        // whatever a Route names is where a proxy sends next: to the sender, never to a name that needs DNS
        text = ROUTE_FIELD.matcher(text).replaceAll(field -> Matcher.quoteReplacement(
                HOST_NAME.matcher(IPV4.matcher(IPV6_REFERENCE.matcher(field.group()).replaceAll("127.0.0.1" + port))
                        .replaceAll("127.0.0.1" + port)).replaceAll("127.0.0.1" + port)));
        text = MADDR.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "127.0.0.1"));
        text = IPV4.matcher(text).replaceAll(m -> Matcher.quoteReplacement("127.0.0.1" + (m.group(2) != null ? port : "")));
        text = HOST_NAME.matcher(text).replaceAll(m -> Matcher.quoteReplacement(domain + (m.group(2) != null ? port : "")));
        text = ESCAPED_HOST_NAME.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + domain));
        return text;
    }

    private static boolean isIpv6(String literal) {
        if (literal.isEmpty() || literal.contains(":::") || !literal.contains(":")) {
            return false;
        }
        try {
            // a literal: no name lookup happens for a string of hex digits, colons and dots
            InetAddress.getByName("[" + literal + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static int indexOf(byte[] data, int from, byte[] needle) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
