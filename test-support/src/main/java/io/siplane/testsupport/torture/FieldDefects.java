package io.siplane.testsupport.torture;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An OPTIONS with one numeric field or URI host/port set to a value (RFC 3261 §25's grammar, RFC 5118 §4.2), sent
 * raw, and the final answer. {@link #OUT_OF_GRAMMAR} lists the values every service must refuse with a 400 whose
 * reason phrase names the field; {@link #IN_GRAMMAR} lists edge values it must not refuse for that reason.
 */
public final class FieldDefects {

    /**
     * The field that is set (a header name, or {@code Request-URI} for the request line's URI), its value and the
     * reason phrase of the 400 it gets: ours, or the RI's {@code Bad Request (malformed <field>)} for what it cannot parse.
     */
    public record Field(String header, String value, String reason) {

        @Override
        public String toString() {
            return header + ": " + value;
        }
    }

    public static final String REQUEST_URI = "Request-URI";

    /** {@code %p} in a value stands for the sender's own port. */
    public static final List<Field> OUT_OF_GRAMMAR = List.of(
            new Field("Max-Forwards", "-1", "Bad Max-Forwards"),
            new Field("Max-Forwards", "256", "Bad Max-Forwards"),
            new Field("Max-Forwards", "7O", "Bad Max-Forwards"),
            new Field(REQUEST_URI, "sip:127.0.0.1:99999999", "Invalid port in Request-URI"),
            new Field(REQUEST_URI, "sip:bob@127.0.0.1:65536;transport=udp", "Invalid port in Request-URI"),
            new Field(REQUEST_URI, "sip:bob@2001:db8::10", "Invalid host in Request-URI"),
            new Field("CSeq", "2147483648 OPTIONS", "Bad CSeq"),
            new Field("CSeq", "-1 OPTIONS", "Bad Request (malformed CSeq)"),
            new Field("Expires", "-1", "Bad Expires"),
            new Field("Expires", "4294967296", "Bad Expires"),
            new Field("Min-Expires", "1.5", "Bad Min-Expires"),
            new Field("Retry-After", "-30", "Bad Retry-After"),
            new Field("Retry-After", "120;duration=forever", "Bad Retry-After"),
            new Field("RSeq", "0", "Bad RSeq"),
            new Field("RAck", "1 99999999999 INVITE", "Bad RAck"),
            new Field("Session-Expires", "-90;refresher=uac", "Bad Session-Expires"),
            new Field("Min-SE", "ninety", "Bad Min-SE"),
            new Field("Content-Length", "-4", "Bad Request (malformed Content-Length)"),
            new Field("Via", "SIP/2.0/%t 127.0.0.1:70000;branch=z9hG4bK-%b;rport", "Invalid port in Via"),
            new Field("Via", "SIP/2.0/%t 127.0.0.1:%p;branch=z9hG4bK-%b;rport=99999", "Bad rport in Via"),
            new Field("Via", "SIP/2.0/%t 127.0.0.1:%p;branch=z9hG4bK-%b;ttl=256", "Bad ttl in Via"),
            new Field("Contact", "<sip:alice@127.0.0.1:123456>", "Invalid port in Contact"),
            new Field("Contact", "<sip:alice@127.0.0.1:%p>;q=1.5", "Bad q in Contact"),
            new Field("Contact", "<sip:alice@127.0.0.1:%p>;q=0.1234", "Bad q in Contact"),
            new Field("Contact", "<sip:alice@127.0.0.1:%p>;expires=-1", "Bad expires in Contact"),
            new Field("From", "<sip:alice@example.com:0>;tag=f1", "Invalid port in From"),
            new Field("To", "sip:bob@example.com:99999", "Invalid port in To"),
            new Field("Route", "<sip:127.0.0.1:654321;lr>", "Invalid port in Route"),
            new Field("Record-Route", "<sip:[::1]:70000;lr>", "Invalid port in Record-Route"));

    /** Edge values of the same fields that are in grammar and range. */
    public static final List<Field> IN_GRAMMAR = List.of(
            new Field("Max-Forwards", "255", ""),
            new Field("CSeq", "2147483647 OPTIONS", ""),
            new Field("Expires", "4294967295", ""),
            new Field("Retry-After", "18000 (in a meeting);duration=3600", ""),
            new Field("Via", "SIP/2.0/%t 127.0.0.1:%p;branch=z9hG4bK-%b;rport;ttl=255", ""),
            new Field("Via", "SIP / 2.0 / %t 127.0.0.1 : %p;branch=z9hG4bK-%b;rport", ""),
            new Field("Contact", "\"A, <B>\" <sip:alice@127.0.0.1:%p>;q=1.000, <sip:alice@[::1]:65535>;q=0.5;expires=0", ""),
            new Field("To", "<sip:bob@example.com:65535>", ""),
            new Field("RAck", "776656 1 INVITE", ""),
            new Field("Session-Expires", "1800;refresher=uac", ""));

    private FieldDefects() {
    }

    /**
     * The OPTIONS with {@code field} set (added when the template has no such header), as sent from {@code localPort}
     * over {@code transport} to {@code serverPort}.
     */
    public static byte[] options(Field field, String transport, int serverPort, int localPort) {
        String branch = UUID.randomUUID().toString().substring(0, 12);
        String requestUri = "sip:127.0.0.1:" + serverPort;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Via", "SIP/2.0/%t 127.0.0.1:%p;branch=z9hG4bK-%b;rport");
        headers.put("Max-Forwards", "70");
        headers.put("From", "<sip:alice@example.com>;tag=f1");
        headers.put("To", "<sip:127.0.0.1:" + serverPort + ">");
        headers.put("Call-ID", "fields-" + branch);
        headers.put("CSeq", "1 OPTIONS");
        headers.put("Contact", "<sip:alice@127.0.0.1:%p>");
        if (REQUEST_URI.equals(field.header())) {
            requestUri = field.value();
        } else {
            headers.put(field.header(), field.value());
        }
        StringBuilder text = new StringBuilder("OPTIONS ").append(requestUri).append(" SIP/2.0\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        if (!headers.containsKey("Content-Length")) {
            text.append("Content-Length: 0\r\n");
        }
        text.append("\r\n");
        String message = text.toString().replace("%t", transport.toUpperCase()).replace("%p", String.valueOf(localPort))
                .replace("%b", branch);
        return message.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the OPTIONS with {@code field} set and returns the final answer, if one came within {@code wait}. */
    public static Optional<SipPacket> ask(RawSipClient client, Field field, String transport, Duration wait) {
        int serverPort = client.server().getPort();
        RawSipClient.Exchange exchange = "TCP".equalsIgnoreCase(transport)
                ? client.tcp(port -> options(field, "TCP", serverPort, port), wait, r -> r.stream().anyMatch(SipPacket::isFinalResponse))
                : client.udp(port -> options(field, "UDP", serverPort, port), wait, r -> r.stream().anyMatch(SipPacket::isFinalResponse));
        return exchange.received().stream().filter(SipPacket::isFinalResponse).findFirst();
    }
}
