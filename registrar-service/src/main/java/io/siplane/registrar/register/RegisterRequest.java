package io.siplane.registrar.register;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.ReceivedFrom;
import io.siplane.sip.digest.DigestCredentials;

/**
 * A REGISTER, read off the wire by the SIP adapter, in the registrar's own terms.
 *
 * @param method          {@code REGISTER} (part of the digest)
 * @param requestUri      the Request-URI as received (the credentials' {@code uri} must name it, RFC 3261 §22.4)
 * @param requestUriHost  the Request-URI's host, lower case (RFC 3261 §10.3 step 1)
 * @param aor             the To header's address-of-record (step 5)
 * @param callId          Call-ID (step 7)
 * @param cseq            CSeq number (step 7)
 * @param contacts        the Contact headers, unless {@code wildcard}
 * @param wildcard        {@code Contact: *}
 * @param expiresHeader   the Expires header, if any
 * @param require         option tags of Require (step 2)
 * @param supportsPath    {@code Supported: path} (RFC 3327 §5.3)
 * @param path            Path header values, topmost first
 * @param client          where the request came from (the client, not an edge in front of us)
 * @param userAgent       User-Agent, if any
 * @param credentials     the Authorization headers' digest credentials (step 3)
 */
public record RegisterRequest(
        String method,
        String requestUri,
        String requestUriHost,
        AddressOfRecord aor,
        String callId,
        long cseq,
        List<RequestedContact> contacts,
        boolean wildcard,
        OptionalInt expiresHeader,
        Set<String> require,
        boolean supportsPath,
        List<String> path,
        ReceivedFrom client,
        Optional<String> userAgent,
        List<DigestCredentials> credentials) {

    public RegisterRequest {
        contacts = List.copyOf(contacts);
        require = Set.copyOf(require);
        path = List.copyOf(path);
        credentials = List.copyOf(credentials);
    }

    /** Identifies this request and its retransmissions: Call-ID and CSeq. */
    public String requestKey() {
        return callId + " " + cseq;
    }
}
