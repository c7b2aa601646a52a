package io.siplane.sip.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;

import javax.sip.header.CSeqHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** Building responses to received requests. */
public final class SipResponses {

    private SipResponses() {
    }

    /**
     * A response to {@code request} (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied; a To-tag added to
     * anything above 100 when the request had none.
     */
    public static Response create(MessageFactory messages, Request request, int status) {
        try {
            Response response = messages.createResponse(status, request);
            addToTag(response, request);
            return response;
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot build a " + status + " response: " + e.getMessage(), e);
        }
    }

    /** Same with a reason phrase of our own. */
    public static Response create(MessageFactory messages, Request request, int status, String reasonPhrase) {
        Response response = create(messages, request, status);
        try {
            response.setReasonPhrase(reasonPhrase);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad reason phrase", e);
        }
        return response;
    }

    private static void addToTag(Response response, Request request) throws ParseException {
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (response.getStatusCode() > 100 && to != null && to.getTag() == null) {
            to.setTag(statelessToTag(request));
        }
    }

    /**
     * RFC 3261 §8.2.7: a stateless UAS must generate the same To-tag for the same request, so a retransmission gets
     * an identical answer. The tag is a hash of what identifies the request (Call-ID, From-tag, CSeq, top branch);
     * every replica computes the same one.
     */
    public static String statelessToTag(Request request) {
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        String key = SipHeaders.callId(request) + '\n' + SipHeaders.fromTag(request) + '\n'
                + (cseq == null ? "" : cseq.getSeqNumber() + " " + cseq.getMethod()) + '\n' + Vias.topBranch(request);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
