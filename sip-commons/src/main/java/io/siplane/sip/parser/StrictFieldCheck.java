package io.siplane.sip.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The numeric fields and URI host/ports of a header section, read as RFC 3261's grammar reads them where JAIN-SIP RI
 * is lenient: it keeps {@code Max-Forwards: -1} as an unparsed header (so the request travels on without one), takes
 * any int as a port ({@code sip:host:99999999}) and an unbracketed IPv6 address as a host name. The first field out
 * of grammar or range is named in the reason phrase of the 400 ({@code Bad Max-Forwards},
 * {@code Invalid port in Request-URI}); nothing of the message itself goes into it.
 *
 * <p>One pass over the header lines; only the fields below are looked at.
 */
final class StrictFieldCheck {

    /** RFC 3261 §8.1.1.5: the CSeq number is below 2**31. */
    private static final long MAX_CSEQ = (1L << 31) - 1;
    /** RFC 3261 §25.1 delta-seconds, bounded as §20.19 bounds Expires: 2**32 - 1. */
    private static final long MAX_DELTA_SECONDS = (1L << 32) - 1;
    private static final Pattern SEPARATOR_SPACE = Pattern.compile("\\s*([/:])\\s*");
    /** Compiled once: {@code String.split} with a regex compiles it again on every call (every request here). */
    private static final Pattern LINEAR_WHITESPACE = Pattern.compile("[ \t]+");

    private StrictFieldCheck() {
    }

    /**
     * The first defect of a message's header section ({@code headers}: start line and header lines, folded or not),
     * or {@code null}; {@code body} is the number of bytes after the header section when the transport delivered the
     * whole message (a datagram), else -1.
     */
    static String firstDefect(String section, int body) {
        int lead = 0;
        while (lead < section.length() && section.charAt(lead) < 0x20) {
            lead++; // as the RI, which squeezes out control characters before the start line
        }
        String headers = section.substring(lead);
        int length = headers.length();
        int eol = headers.indexOf('\n');
        String startLine = (eol < 0 ? headers : headers.substring(0, eol)).strip();
        String defect = checkStartLine(startLine);
        if (defect != null) {
            return defect;
        }
        int start = eol < 0 ? length : eol + 1;
        while (start < length) {
            int end = nextFieldEnd(headers, start);
            String line = headers.substring(start, end);
            int colon = line.indexOf(':');
            if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = unfold(line.substring(colon + 1));
                defect = checkField(name, value, body);
                if (defect != null) {
                    return defect;
                }
            }
            start = end;
        }
        return null;
    }

    /** The end of the header field starting at {@code start}, continuation lines (RFC 3261 §7.3.1) included. */
    private static int nextFieldEnd(String headers, int start) {
        int length = headers.length();
        int end = start;
        while (true) {
            int newline = headers.indexOf('\n', end);
            end = newline < 0 ? length : newline + 1;
            if (end >= length || (headers.charAt(end) != ' ' && headers.charAt(end) != '\t')) {
                return end;
            }
        }
    }

    private static String unfold(String value) {
        return value.replace("\r", "").replace('\n', ' ').strip();
    }

    private static String checkStartLine(String line) {
        if (line.startsWith("SIP/")) {
            return null; // a status line has no URI
        }
        String[] parts = LINEAR_WHITESPACE.split(line);
        if (parts.length < 3) {
            return null; // the RI has already refused what is not a request line
        }
        return checkUri(parts[1], "Request-URI");
    }

    private static String checkField(String name, String value, int body) {
        switch (name) {
            case "max-forwards":
                // RFC 3261 §20.22: 0 to 255
                return number(value, 255) ? null : "Bad Max-Forwards";
            case "cseq": {
                int space = indexOfWhitespace(value);
                return space > 0 && number(value.substring(0, space), MAX_CSEQ) ? null : "Bad CSeq";
            }
            case "expires":
                return number(value, MAX_DELTA_SECONDS) ? null : "Bad Expires";
            case "min-expires":
                return number(value, MAX_DELTA_SECONDS) ? null : "Bad Min-Expires";
            case "retry-after":
                return retryAfter(value) ? null : "Bad Retry-After";
            case "rseq":
                // RFC 3262 §7.1: 1 to 2**32 - 1
                return number(value, MAX_DELTA_SECONDS) && !value.chars().allMatch(c -> c == '0') ? null : "Bad RSeq";
            case "rack": {
                // RFC 3262 §7.2: response-num LWS CSeq-num LWS Method
                String[] parts = LINEAR_WHITESPACE.split(value);
                return parts.length == 3 && number(parts[0], MAX_DELTA_SECONDS) && number(parts[1], MAX_CSEQ) ? null : "Bad RAck";
            }
            case "session-expires", "x":
                // RFC 4028 §4: delta-seconds *(SEMI se-params)
                return number(beforeParams(value), MAX_DELTA_SECONDS) ? null : "Bad Session-Expires";
            case "min-se":
                return number(beforeParams(value), MAX_DELTA_SECONDS) ? null : "Bad Min-SE";
            case "content-length", "l": {
                if (!number(value, Integer.MAX_VALUE)) {
                    return "Bad Content-Length";
                }
                // RFC 3261 §18.3: a datagram that ends before the body it announces is an error
                return body >= 0 && Long.parseLong(value) > body ? "Bad Content-Length" : null;
            }
            case "via", "v":
                return checkVias(value);
            case "contact", "m":
                return checkAddresses(value, "Contact", true);
            case "from", "f":
                return checkAddresses(value, "From", false);
            case "to", "t":
                return checkAddresses(value, "To", false);
            case "route":
                return checkAddresses(value, "Route", false);
            case "record-route":
                return checkAddresses(value, "Record-Route", false);
            default:
                return null;
        }
    }

    private static String beforeParams(String value) {
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).strip();
    }

    /** RFC 3261 §20.33: delta-seconds [ comment ] *( SEMI retry-param ), duration = delta-seconds. */
    private static boolean retryAfter(String value) {
        int end = 0;
        while (end < value.length() && value.charAt(end) >= '0' && value.charAt(end) <= '9') {
            end++;
        }
        if (!number(value.substring(0, end), MAX_DELTA_SECONDS)) {
            return false;
        }
        String rest = value.substring(end).strip();
        if (rest.startsWith("(")) {
            int close = rest.lastIndexOf(')');
            if (close < 0) {
                return false;
            }
            rest = rest.substring(close + 1).strip();
        }
        if (rest.isEmpty()) {
            return true;
        }
        if (!rest.startsWith(";")) {
            return false;
        }
        for (String param : rest.substring(1).split(";")) {
            String[] nv = param.split("=", 2);
            if (nv[0].strip().equalsIgnoreCase("duration") && (nv.length < 2 || !number(nv[1].strip(), MAX_DELTA_SECONDS))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3261 §20.42: each via-parm's sent-by port, rport (RFC 3581) and ttl (0 to 255). */
    private static String checkVias(String value) {
        for (String via : splitOutside(value)) {
            int semi = via.indexOf(';');
            // RFC 3261 §25.1: SLASH and COLON may have whitespace around them
            String sentProtocolAndBy = SEPARATOR_SPACE.matcher(semi < 0 ? via : via.substring(0, semi)).replaceAll("$1");
            int space = lastWhitespaceRun(sentProtocolAndBy);
            if (space < 0) {
                continue; // the RI refuses a Via without sent-by
            }
            String sentBy = sentProtocolAndBy.substring(space).strip();
            String hostDefect = checkHostPort(sentBy, "Via");
            if (hostDefect != null) {
                return hostDefect;
            }
            if (semi < 0) {
                continue;
            }
            for (String param : via.substring(semi + 1).split(";")) {
                String[] nv = param.split("=", 2);
                String pname = nv[0].strip().toLowerCase(Locale.ROOT);
                String pvalue = nv.length < 2 ? null : nv[1].strip();
                if (pname.equals("rport") && pvalue != null && !port(pvalue)) {
                    return "Bad rport in Via";
                }
                if (pname.equals("ttl") && (pvalue == null || !number(pvalue, 255))) {
                    return "Bad ttl in Via";
                }
            }
        }
        return null;
    }

    /** name-addr / addr-spec values: the URI's port, and for Contact its q (RFC 3261 §20.10) and expires. */
    private static String checkAddresses(String value, String field, boolean contact) {
        for (String address : contact ? splitOutside(value) : List.of(value)) {
            if (contact && address.equals("*")) {
                continue;
            }
            String uri;
            String params;
            int open = indexOutsideQuotes(address, '<');
            if (open >= 0) {
                int close = address.indexOf('>', open);
                if (close < 0) {
                    continue; // the RI refuses it
                }
                uri = address.substring(open + 1, close);
                params = address.substring(close + 1);
            } else {
                int semi = address.indexOf(';');
                uri = semi < 0 ? address : address.substring(0, semi);
                params = semi < 0 ? "" : address.substring(semi);
            }
            String defect = checkUri(uri.strip(), field);
            if (defect != null) {
                return defect;
            }
            if (!contact) {
                continue;
            }
            for (String param : params.split(";")) {
                String[] nv = param.split("=", 2);
                String pname = nv[0].strip().toLowerCase(Locale.ROOT);
                if (pname.equals("q") && (nv.length < 2 || !qvalue(nv[1].strip()))) {
                    return "Bad q in Contact";
                }
                if (pname.equals("expires") && (nv.length < 2 || !number(nv[1].strip(), MAX_DELTA_SECONDS))) {
                    return "Bad expires in Contact";
                }
            }
        }
        return null;
    }

    /** For sip: and sips: URIs only (RFC 3261 §19.1.1): the host (an IPv6 address in brackets) and the port. */
    private static String checkUri(String uri, String field) {
        String lower = uri.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("sip:") ? 4 : lower.startsWith("sips:") ? 5 : -1;
        if (schemeEnd < 0) {
            return null;
        }
        String rest = uri.substring(schemeEnd);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == ';' || c == '?') {
                end = i;
                break;
            }
        }
        String userHostPort = rest.substring(0, end);
        int at = userHostPort.lastIndexOf('@');
        return checkHostPort(userHostPort.substring(at + 1), field);
    }

    /** RFC 3261 §25.1 hostport; RFC 5118 §4.2: an IPv6 address in a URI or Via is always bracketed. */
    private static String checkHostPort(String hostPort, String field) {
        String portText;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return "Invalid host in " + field;
            }
            String after = hostPort.substring(close + 1);
            if (after.isEmpty()) {
                return null;
            }
            if (after.charAt(0) != ':') {
                return "Invalid host in " + field;
            }
            portText = after.substring(1);
        } else {
            int colon = hostPort.indexOf(':');
            if (colon < 0) {
                return hostPort.isEmpty() ? "Invalid host in " + field : null;
            }
            portText = hostPort.substring(colon + 1);
            if (colon == 0 || portText.indexOf(':') >= 0) {
                return "Invalid host in " + field; // an unbracketed IPv6 address
            }
        }
        return port(portText.strip()) ? null : "Invalid port in " + field;
    }

    private static boolean port(String text) {
        return number(text, 65535) && Long.parseLong(text) > 0;
    }

    /** RFC 3261 §25.1 qvalue: "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]. */
    private static boolean qvalue(String text) {
        if (text.isEmpty() || text.length() > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1')) {
            return false;
        }
        if (text.length() == 1) {
            return true;
        }
        if (text.charAt(1) != '.') {
            return false;
        }
        for (int i = 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || (text.charAt(0) == '1' && c != '0')) {
                return false;
            }
        }
        return true;
    }

    /** 1*DIGIT, at most {@code max}; no sign, no spaces inside. */
    private static boolean number(String text, long max) {
        if (text.isEmpty() || text.length() > 10) {
            return false;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ' || text.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    private static int lastWhitespaceRun(String text) {
        String stripped = text.strip();
        for (int i = stripped.length() - 1; i >= 0; i--) {
            if (stripped.charAt(i) == ' ' || stripped.charAt(i) == '\t') {
                return i + (text.length() - text.stripLeading().length());
            }
        }
        return -1;
    }

    private static int indexOutsideQuotes(String text, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** A comma-separated list split at the commas outside quotes and angle brackets (RFC 3261 §7.3.1). */
    private static List<String> splitOutside(String value) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        boolean angled = false;
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angled = true;
            } else if (!quoted && c == '>') {
                angled = false;
            } else if (!quoted && !angled && c == ',') {
                parts.add(value.substring(from, i).strip());
                from = i + 1;
            }
        }
        parts.add(value.substring(from).strip());
        return parts;
    }
}
