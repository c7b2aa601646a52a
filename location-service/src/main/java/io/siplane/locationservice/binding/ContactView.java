package io.siplane.locationservice.binding;

import java.time.Instant;
import java.util.List;

import io.siplane.location.Binding;
import io.siplane.location.ReceivedFrom;
import io.swagger.v3.oas.annotations.media.Schema;

/** One contact of an AOR as the REST API shows it. */
@Schema(name = "Contact")
record ContactView(
        @Schema(description = "Contact URI as registered", example = "sip:alice@192.0.2.10:5060;transport=udp") String uri,
        @Schema(description = "Seconds until the binding expires") long expires,
        @Schema(description = "q-value, null when the contact had none (counts as 1.0)", nullable = true) Double q,
        @Schema(description = "Call-ID of the REGISTER that wrote the binding") String callId,
        @Schema(description = "CSeq number of that REGISTER") long cseq,
        @Schema(description = "Path header values (RFC 3327), topmost first") List<String> path,
        @Schema(description = "Where the REGISTER came from, as a SIP URI with its transport", nullable = true,
                example = "sip:192.0.2.10:5060;transport=udp") String received,
        @Schema(description = "User-Agent of the registering device", nullable = true) String userAgent,
        @Schema(description = "+sip.instance (RFC 5626)", nullable = true) String instanceId,
        @Schema(description = "Absolute expiry time") Instant expiresAt) {

    static ContactView of(Binding b, Instant now) {
        return new ContactView(b.contactUri(), b.expiresIn(now), b.q().orElse(null), b.callId(), b.cseq(), b.path(),
                b.received().map(ContactView::asSipUri).orElse(null), b.userAgent().orElse(null),
                b.instanceId().orElse(null), b.expiresAt());
    }

    /** The form Kamailio's usrloc uses for "received": {@code sip:host:port;transport=x}. */
    static String asSipUri(ReceivedFrom r) {
        String host = r.address().indexOf(':') >= 0 && !r.address().startsWith("[") ? "[" + r.address() + "]" : r.address();
        return "sip:" + host + ":" + r.port() + ";transport=" + r.transport();
    }
}
