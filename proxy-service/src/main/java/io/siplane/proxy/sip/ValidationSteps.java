package io.siplane.proxy.sip;

import java.util.ArrayList;
import java.util.List;

import javax.sip.header.CSeqHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.proxy.loop.BranchIdMinter;
import io.siplane.proxy.loop.LoopDetector;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * The proxy's own checks of request validation (RFC 3261 §16.3), besides the stock ones (416, 483, 420): the CSeq
 * method (400) and loop detection (482), which leaves the request's loop hash for the branch ids.
 */
public final class ValidationSteps {

    private static final String PROXY_REQUIRE = "Proxy-Require";

    private final LoopDetector loops;
    private final ProxyAnswers answers;

    public ValidationSteps(LoopDetector loops, ProxyAnswers answers) {
        this.loops = loops;
        this.answers = answers;
    }

    /** RFC 3261 §8.1.1.5: the CSeq method must match the request method. */
    public Verdict cseqMatchesMethod(IncomingRequest in) throws Exception {
        CSeqHeader cseq = (CSeqHeader) in.request().getHeader(CSeqHeader.NAME);
        if (cseq != null && in.method().equals(cseq.getMethod())) {
            return Verdict.NEXT;
        }
        answers.reject(in, in.response(Response.BAD_REQUEST, "CSeq Method Mismatch"));
        return Verdict.DONE;
    }

    /**
     * RFC 3261 §16.3 step 4, RFC 5393: our sent-by with this request's own loop hash in a Via is a loop: 482. The loop
     * hash goes into every branch id written for the request.
     */
    public Verdict detectLoop(IncomingRequest in) throws Exception {
        String loopHash = loopHash(in.request());
        if (loops.isLoop(vias(in.request()), loopHash)) {
            answers.reject(in, in.response(Response.LOOP_DETECTED));
            return Verdict.DONE;
        }
        ProxyExchange.of(in).loopHash(loopHash);
        return Verdict.NEXT;
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
        return BranchIdMinter.loopHash(fields);
    }

    private static List<LoopDetector.ViaEntry> vias(Request request) {
        List<LoopDetector.ViaEntry> out = new ArrayList<>();
        for (ViaHeader via : SipHeaders.all(request, ViaHeader.NAME, ViaHeader.class)) {
            out.add(new LoopDetector.ViaEntry(via.getHost(), via.getPort(), via.getBranch()));
        }
        return out;
    }
}
