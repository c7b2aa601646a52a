package io.siplane.proxy.validate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.proxy.loop.BranchIds;
import io.siplane.proxy.loop.LoopDetector;
import io.siplane.sip.message.SipHeaders;

/**
 * Request validation (RFC 3261 §16.3), in the RFC's order: reasonable syntax (400), URI scheme (416), Max-Forwards
 * (483), loop detection (482), Proxy-Require (420). Proxy-Authorization (step 6) is the authentication step's job.
 */
public final class RequestValidator {

    private static final String PROXY_REQUIRE = "Proxy-Require";

    private final LoopDetector loops;
    private final Set<String> supportedExtensions;

    public RequestValidator(LoopDetector loops, Set<String> supportedExtensions) {
        this.loops = loops;
        this.supportedExtensions = Set.copyOf(supportedExtensions);
    }

    public Validation validate(Request request) {
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        if (cseq == null || !request.getMethod().equals(cseq.getMethod())) {
            // RFC 3261 §8.1.1.5: the CSeq method must match the request method
            return invalid(Rejection.of(Response.BAD_REQUEST, "CSeq Method Mismatch"));
        }
        if (!(request.getRequestURI() instanceof SipURI)) {
            return invalid(Rejection.of(Response.UNSUPPORTED_URI_SCHEME));
        }
        MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (maxForwards != null && maxForwards.getMaxForwards() <= 0) {
            return invalid(Rejection.of(Response.TOO_MANY_HOPS));
        }
        String loopHash = loopHash(request);
        if (loops.isLoop(vias(request), loopHash)) {
            return invalid(Rejection.of(Response.LOOP_DETECTED));
        }
        Set<String> unsupported = new LinkedHashSet<>(SipHeaders.optionTags(request, PROXY_REQUIRE));
        unsupported.removeAll(supportedExtensions);
        if (!unsupported.isEmpty()) {
            return invalid(new Rejection(Response.BAD_EXTENSION, java.util.Optional.empty(), unsupported));
        }
        return new Validation.Valid(loopHash);
    }

    /** RFC 5393 §4.2.1: the fields a loop leaves unchanged, as received. */
    static String loopHash(Request request) {
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        List<String> fields = List.of(
                request.getRequestURI().toString(),
                SipHeaders.callId(request),
                SipHeaders.fromTag(request),
                SipHeaders.toTag(request).orElse(""),
                cseq == null ? "" : Long.toString(cseq.getSeqNumber()),
                String.join(",", SipHeaders.values(request, PROXY_REQUIRE)),
                String.join(",", SipHeaders.values(request, ProxyAuthorizationHeader.NAME)),
                String.join(",", SipHeaders.values(request, RouteHeader.NAME)));
        return BranchIds.loopHash(fields);
    }

    private static List<LoopDetector.ViaEntry> vias(Request request) {
        List<LoopDetector.ViaEntry> out = new ArrayList<>();
        for (ViaHeader via : SipHeaders.all(request, ViaHeader.NAME, ViaHeader.class)) {
            out.add(new LoopDetector.ViaEntry(via.getHost(), via.getPort(), via.getBranch()));
        }
        return out;
    }

    private static Validation invalid(Rejection rejection) {
        return new Validation.Invalid(rejection);
    }
}
