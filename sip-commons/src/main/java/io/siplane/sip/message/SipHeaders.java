package io.siplane.sip.message;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;

import gov.nist.javax.sip.header.HeaderExt;

/** Null-free access to headers of a JAIN-SIP message. */
public final class SipHeaders {

    private SipHeaders() {
    }

    /** The first header of that name, typed. */
    public static <T> Optional<T> first(Message message, String name, Class<T> type) {
        Header h = message.getHeader(name);
        return type.isInstance(h) ? Optional.of(type.cast(h)) : Optional.empty();
    }

    /** Every header of that name, typed, in message order (comma-separated values come as separate headers). */
    public static <T> List<T> all(Message message, String name, Class<T> type) {
        List<T> out = new ArrayList<>();
        ListIterator<?> it = message.getHeaders(name);
        while (it != null && it.hasNext()) {
            Object h = it.next();
            if (type.isInstance(h)) {
                out.add(type.cast(h));
            }
        }
        return out;
    }

    /** The value of the first header of that name (without the name), as on the wire. */
    public static Optional<String> value(Message message, String name) {
        return Optional.ofNullable(message.getHeader(name)).map(SipHeaders::valueOf);
    }

    /** The values of every header of that name. */
    public static List<String> values(Message message, String name) {
        return all(message, name, Header.class).stream().map(SipHeaders::valueOf).toList();
    }

    /**
     * The option tags of {@code Supported}, {@code Require} or {@code Proxy-Require} (RFC 3261 §19.2), lower-cased
     * so that they compare as tokens.
     */
    public static Set<String> optionTags(Message message, String headerName) {
        Set<String> tags = new LinkedHashSet<>();
        for (String v : values(message, headerName)) {
            for (String tag : v.split(",")) {
                String t = tag.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tags.add(t);
                }
            }
        }
        return tags;
    }

    public static String callId(Message message) {
        return first(message, CallIdHeader.NAME, CallIdHeader.class).map(CallIdHeader::getCallId).orElse("");
    }

    public static long cseq(Message message) {
        return first(message, CSeqHeader.NAME, CSeqHeader.class).map(CSeqHeader::getSeqNumber).orElse(0L);
    }

    public static String fromTag(Message message) {
        return first(message, FromHeader.NAME, FromHeader.class).map(FromHeader::getTag).orElse("");
    }

    public static Optional<String> toTag(Message message) {
        return first(message, ToHeader.NAME, ToHeader.class).map(ToHeader::getTag);
    }

    /** The URI of a From/To-like header, as text. */
    public static Optional<String> addressUri(Message message, String name) {
        return first(message, name, HeaderAddress.class).map(h -> h.getAddress().getURI().toString());
    }

    /** The {@code Expires} header's value, if present. */
    public static OptionalInt expires(Message message) {
        return first(message, ExpiresHeader.NAME, ExpiresHeader.class)
                .map(e -> OptionalInt.of(e.getExpires())).orElse(OptionalInt.empty());
    }

    private static String valueOf(Header h) {
        if (h instanceof HeaderExt ext) {
            return ext.getValue();
        }
        String text = h.toString();
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).strip();
    }
}
