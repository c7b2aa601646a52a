package io.siplane.registrar.sip;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;

import javax.sip.InvalidArgumentException;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Response;

import io.siplane.location.Binding;
import io.siplane.registrar.register.RegisterOutcome;
import io.siplane.registrar.register.RegisterOutcome.Challenge;
import io.siplane.registrar.register.RegisterOutcome.IntervalTooBrief;
import io.siplane.registrar.register.RegisterOutcome.Refused;
import io.siplane.registrar.register.RegisterOutcome.Registered;
import io.siplane.registrar.register.RegisterOutcome.StoreUnavailable;
import io.siplane.sip.digest.SipDigest;
import io.siplane.sip.pipeline.IncomingRequest;

/** Turns a {@link RegisterOutcome} into the SIP response. */
final class RegisterResponseWriter {

    private final Clock clock;

    RegisterResponseWriter(Clock clock) {
        this.clock = clock;
    }

    Response write(IncomingRequest in, RegisterOutcome outcome) throws ParseException, InvalidArgumentException {
        HeaderFactory headers = in.factories().headers();
        if (outcome instanceof Registered registered) {
            return registered(in, registered, headers);
        }
        if (outcome instanceof Challenge challenge) {
            Response r = in.response(Response.UNAUTHORIZED);
            SipDigest.addChallenges(r, challenge.challenges(), headers);
            return r;
        }
        if (outcome instanceof IntervalTooBrief brief) {
            Response r = in.response(Response.INTERVAL_TOO_BRIEF);
            r.addHeader(headers.createMinExpiresHeader(brief.minExpires()));
            return r;
        }
        if (outcome instanceof StoreUnavailable unavailable) {
            Response r = in.response(Response.SERVER_INTERNAL_ERROR);
            r.addHeader(headers.createRetryAfterHeader(unavailable.retryAfterSeconds()));
            return r;
        }
        Refused refused = (Refused) outcome;
        return in.response(refused.status(), refused.reason());
    }

    /** RFC 3261 §10.3 step 8: every current binding with its remaining expires (and q), plus Date. */
    private Response registered(IncomingRequest in, Registered registered, HeaderFactory headers)
            throws ParseException, InvalidArgumentException {
        Response r = in.response(Response.OK);
        Instant now = clock.instant();
        for (Binding b : registered.bindings()) {
            ContactHeader contact = headers.createContactHeader(in.factories().addresses().createAddress(b.contactUri()));
            contact.setExpires((int) Math.min(Integer.MAX_VALUE, b.expiresIn(now)));
            if (b.q().isPresent()) {
                contact.setParameter("q", qValue(b.q().get()));
            }
            r.addHeader(contact);
        }
        // RFC 3327 §5.3: Path copied into the 200, in order, when the client supports it
        for (String path : registered.echoedPath()) {
            r.addHeader(headers.createHeader("Path", path));
        }
        Calendar date = new GregorianCalendar(TimeZone.getTimeZone("GMT"));
        date.setTimeInMillis(now.toEpochMilli());
        r.addHeader(headers.createDateHeader(date));
        return r;
    }

    private static String qValue(double q) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", q);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
