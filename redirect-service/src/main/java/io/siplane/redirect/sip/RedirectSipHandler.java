package io.siplane.redirect.sip;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.UnsupportedHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.Reachability;
import io.siplane.redirect.RedirectMetrics;
import io.siplane.redirect.RedirectProperties;
import io.siplane.sip.SipProperties;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestHandler;

/**
 * The redirect server's SIP adapter. Every request is answered statelessly (no transaction: a retransmission is
 * simply answered again), in this order:
 * ACK absorbed → CANCEL 481 → OPTIONS to the server 200 → Max-Forwards 0 → 483 → Require 420 →
 * in-dialog 481 → scheme 416 → domain 404 → lookup → 302 / 480 / 404 / 503.
 */
@Component
public class RedirectSipHandler implements SipRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(RedirectSipHandler.class);
    static final Set<String> ALLOWED = Set.of("INVITE", "ACK", "CANCEL", "OPTIONS", "MESSAGE", "SUBSCRIBE", "NOTIFY",
            "REFER", "INFO", "UPDATE", "PUBLISH", "PRACK");

    private final BindingLookup lookup;
    private final RedirectProperties properties;
    private final RedirectMetrics metrics;
    private final SipProperties sipProperties;
    private final Clock clock = Clock.systemUTC();

    public RedirectSipHandler(BindingLookup lookup, RedirectProperties properties, RedirectMetrics metrics,
            SipProperties sip) {
        this.lookup = lookup;
        this.properties = properties;
        this.metrics = metrics;
        this.sipProperties = sip;
    }

    @Override
    public Set<String> methods() {
        return Set.of(ANY_METHOD);
    }

    @Override
    public void handle(IncomingRequest in) throws Exception {
        Request request = in.request();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            // RFC 3261 §17.2.1: the ACK of our non-2xx answer ends there; nothing to send
            return;
        }
        if (Request.CANCEL.equals(method)) {
            // RFC 3261 §9.2: statelessly we hold no INVITE transaction to cancel (it was answered at once)
            send(in, in.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
            return;
        }
        if (Request.OPTIONS.equals(method) && addressedToServer(request.getRequestURI())) {
            send(in, optionsAnswer(in));
            return;
        }
        Optional<MaxForwardsHeader> maxForwards = SipHeaders.first(request, MaxForwardsHeader.NAME, MaxForwardsHeader.class);
        if (maxForwards.isPresent() && maxForwards.get().getMaxForwards() <= 0) {
            // RFC 3261 §16.3 step 3 (as a server that would otherwise send the caller elsewhere)
            send(in, in.response(Response.TOO_MANY_HOPS));
            return;
        }
        Set<String> required = SipHeaders.optionTags(request, "Require");
        if (!required.isEmpty()) {
            // RFC 3261 §8.2.2.3: we support no extension a UAS could be required to
            send(in, unsupported(in, required));
            return;
        }
        if (SipHeaders.toTag(request).isPresent()) {
            // a mid-dialog request: the redirect server is never part of a dialog
            send(in, in.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
            return;
        }
        URI uri = request.getRequestURI();
        if (!(uri instanceof SipURI sipUri)) {
            // RFC 3261 §8.2.2.1
            send(in, in.response(Response.UNSUPPORTED_URI_SCHEME));
            return;
        }
        if (!properties.serves(sipUri.getHost()) || sipUri.getUser() == null) {
            send(in, in.response(Response.NOT_FOUND, "Not Found Here"));
            return;
        }
        Optional<AddressOfRecord> aor = AddressOfRecord.tryParse(sipUri.getScheme() + ":" + sipUri.getUser() + "@" + sipUri.getHost()
                + (sipUri.getPort() > 0 ? ":" + sipUri.getPort() : ""));
        if (aor.isEmpty()) {
            send(in, in.response(Response.BAD_REQUEST, "Bad Request-URI"));
            return;
        }
        send(in, answerFor(in, Reachability.of(lookup, aor.get())));
    }

    private Response answerFor(IncomingRequest in, Reachability reachability) throws ParseException, InvalidArgumentException {
        if (reachability instanceof Reachability.Registered registered) {
            return redirect(in, registered);
        }
        if (reachability instanceof Reachability.NotRegistered) {
            return in.response(Response.TEMPORARILY_UNAVAILABLE);
        }
        if (reachability instanceof Reachability.UnknownUser) {
            return in.response(Response.NOT_FOUND);
        }
        return storeUnavailable(in);
    }

    /** RFC 3261 §21.3.3: 302 with one Contact per binding, each with its q-value and remaining expires. */
    private Response redirect(IncomingRequest in, Reachability.Registered contacts) throws ParseException, InvalidArgumentException {
        Response response = in.response(Response.MOVED_TEMPORARILY);
        Instant now = clock.instant();
        for (Binding b : contacts.bindings()) {
            URI target = in.factories().addresses().createURI(b.contactUri());
            if (!b.path().isEmpty() && target instanceof SipURI sip) {
                // RFC 3327 §5.3 / RFC 3261 §19.1.1: the caller must reach the contact through its Path
                sip.setHeader("Route", escapeHeaderValue(String.join(",", b.path())));
            }
            Address address = in.factories().addresses().createAddress(target);
            ContactHeader contact = in.factories().headers().createContactHeader(address);
            if (b.q().isPresent()) {
                contact.setQValue(b.q().get().floatValue());
            }
            contact.setExpires((int) Math.min(Integer.MAX_VALUE, b.expiresIn(now)));
            response.addHeader(contact);
        }
        return response;
    }

    // RFC 3261 §25.1: hvalue = *( hnv-unreserved / unreserved / escaped )
    private static final String HVALUE_SAFE = "-_.!~*'()[]/?:+$";

    static String escapeHeaderValue(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c < 0x80 && HVALUE_SAFE.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private Response storeUnavailable(IncomingRequest in) throws InvalidArgumentException {
        Response response = in.response(Response.SERVICE_UNAVAILABLE);
        RetryAfterHeader retryAfter = in.factories().headers()
                .createRetryAfterHeader((int) Math.max(1, properties.retryAfter().toSeconds()));
        response.addHeader(retryAfter);
        return response;
    }

    private Response unsupported(IncomingRequest in, Set<String> tags) throws ParseException {
        Response response = in.response(Response.BAD_EXTENSION);
        for (String tag : tags) {
            UnsupportedHeader h = in.factories().headers().createUnsupportedHeader(tag);
            response.addHeader(h);
        }
        return response;
    }

    private Response optionsAnswer(IncomingRequest in) throws ParseException {
        Response response = in.response(Response.OK);
        for (String m : ALLOWED.stream().sorted().toList()) {
            response.addHeader(in.factories().headers().createAllowHeader(m));
        }
        response.addHeader(in.factories().headers().createAcceptHeader("application", "sdp"));
        return response;
    }

    /** No user part, or our own address: the request is for this server, not for a user. */
    private boolean addressedToServer(URI uri) {
        if (!(uri instanceof SipURI sip)) {
            return false;
        }
        if (sip.getUser() == null) {
            return true;
        }
        String host = sip.getHost().toLowerCase(Locale.ROOT);
        return host.equals(sipProperties.advertisedHost()) && !properties.serves(host);
    }

    private void send(IncomingRequest in, Response response) throws SipException {
        in.respond(response);
        metrics.answered(in.method(), response.getStatusCode());
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {}", in.method(), in.request().getRequestURI(), response.getStatusCode());
        }
    }
}
