package io.siplane.sip.message;

import java.text.ParseException;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/** Via handling shared by every element. */
public final class Vias {

    private static final String RPORT = "rport";

    private Vias() {
    }

    /**
     * RFC 3581 §4 (and RFC 3261 §18.2.1): on the topmost Via, add {@code received} when the sent-by host differs
     * from the packet's source address or when {@code rport} was asked for, and fill {@code rport} with the source
     * port when the client sent it empty. Responses then go back to where the request really came from (NAT).
     * A {@code received} the client wrote itself is always replaced: elements behind a trusted edge take the client's
     * address from it (the registrar's lockout), so a forged one must not survive. Idempotent.
     */
    public static void applyReceived(Request request, SourceAddress source) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via == null) {
            return;
        }
        try {
            // an empty rport is a flag parameter, which getParameter reports as absent (the RI's own transports fill
            // it in before we see it; a transport of our own does not)
            boolean rportRequested = via.getParameter(RPORT) != null
                    || (via instanceof gov.nist.javax.sip.header.Via parsed && parsed.hasParameter(RPORT));
            if (rportRequested || via.getReceived() != null || !source.address().equals(via.getHost())) {
                via.setReceived(source.address());
            }
            if (rportRequested) {
                via.setParameter(RPORT, Integer.toString(source.port()));
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("source address is not a valid Via received value: " + source.address(), e);
        }
    }

    /** The topmost Via's branch, empty string when absent. */
    public static String topBranch(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null || via.getBranch() == null ? "" : via.getBranch();
    }
}
