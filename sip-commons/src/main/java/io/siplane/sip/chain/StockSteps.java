package io.siplane.sip.chain;

import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * The checks every SIP element makes, written once. Each is a {@link RequestStep}; a service lists the ones it
 * needs, in its own order, in its {@link RequestChain}.
 */
public final class StockSteps {

    private StockSteps() {
    }

    /** ACK is never answered (RFC 3261 §17.2.1): the ACK of our own non-2xx answer ends here. */
    public static RequestStep absorbAck() {
        return in -> Request.ACK.equals(in.method()) ? Verdict.DONE : Verdict.NEXT;
    }

    /**
     * CANCEL answered 481 (RFC 3261 §9.2) by an element that answers INVITE at once and keeps no transaction to
     * cancel (registrar, redirect).
     */
    public static RequestStep cancelWithoutTransaction() {
        return in -> {
            if (!Request.CANCEL.equals(in.method())) {
                return Verdict.NEXT;
            }
            in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return Verdict.DONE;
        };
    }

    /** Max-Forwards 0 gets 483 (RFC 3261 §16.3 step 3, §8.2.2 for a UAS that would send it on). */
    public static RequestStep maxForwards() {
        return in -> {
            MaxForwardsHeader mf = (MaxForwardsHeader) in.request().getHeader(MaxForwardsHeader.NAME);
            if (mf == null || mf.getMaxForwards() > 0) {
                return Verdict.NEXT;
            }
            in.respond(Response.TOO_MANY_HOPS);
            return Verdict.DONE;
        };
    }

    /**
     * Option tags in {@code headerName} ({@code Require} for a UAS, RFC 3261 §8.2.2.3; {@code Proxy-Require} for a
     * proxy, §16.3 step 5) that are not in {@code supported} get 420 with one {@code Unsupported} per tag.
     */
    public static RequestStep requireSupported(String headerName, Collection<String> supported) {
        Set<String> ours = Set.copyOf(supported);
        return in -> {
            Set<String> unsupported = new LinkedHashSet<>(SipHeaders.optionTags(in.request(), headerName));
            if (unsupported.isEmpty()) {
                return Verdict.NEXT;
            }
            unsupported.removeIf(ours::contains);
            if (unsupported.isEmpty()) {
                return Verdict.NEXT;
            }
            in.respond(badExtension(in, unsupported));
            return Verdict.DONE;
        };
    }

    /** A Request-URI other than sip:/sips: gets 416 (RFC 3261 §8.2.2.1). */
    public static RequestStep sipUriOnly() {
        return in -> {
            if (in.request().getRequestURI() instanceof SipURI) {
                return Verdict.NEXT;
            }
            in.respond(Response.UNSUPPORTED_URI_SCHEME);
            return Verdict.DONE;
        };
    }

    /** A request with a To-tag gets 481 (RFC 3261 §12.2.2) at an element that is never part of a dialog. */
    public static RequestStep outOfDialogOnly() {
        return in -> {
            if (SipHeaders.toTag(in.request()).isEmpty()) {
                return Verdict.NEXT;
            }
            in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return Verdict.DONE;
        };
    }

    /**
     * OPTIONS addressed to this element (as {@code toUs} decides) gets 200 with {@code Allow} (RFC 3261 §11.2) and,
     * if not empty, {@code Accept}: how probes and keep-alive pings are answered.
     */
    public static RequestStep optionsToSelf(Predicate<IncomingRequest> toUs, List<String> allow, List<String> accept) {
        List<String> allowSorted = allow.stream().sorted().toList();
        return in -> {
            if (!Request.OPTIONS.equals(in.method()) || !toUs.test(in)) {
                return Verdict.NEXT;
            }
            Response ok = in.response(Response.OK);
            HeaderFactory headers = in.factories().headers();
            for (String m : allowSorted) {
                ok.addHeader(headers.createAllowHeader(m));
            }
            for (String type : accept) {
                int slash = type.indexOf('/');
                ok.addHeader(headers.createAcceptHeader(type.substring(0, slash), type.substring(slash + 1)));
            }
            in.respond(ok);
            return Verdict.DONE;
        };
    }

    private static Response badExtension(IncomingRequest in, Set<String> tags) throws ParseException {
        Response response = in.response(Response.BAD_EXTENSION);
        for (String tag : tags) {
            response.addHeader(in.factories().headers().createUnsupportedHeader(tag));
        }
        return response;
    }
}
