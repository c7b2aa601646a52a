package io.siplane.gateway.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.sip.header.CSeqHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import io.siplane.sip.message.SipHeaders;

/**
 * The Via branches the gateway writes. A forwarded request gets a branch computed from the request (RFC 3261
 * §16.11): a retransmission gets the same one, and so do the CANCEL and the ACK of a non-2xx, which carry the
 * INVITE's client branch, so the stateful proxy matches them to its INVITE transaction. Probes get a prefix of
 * their own, so their answers are told apart from relayed ones.
 */
final class ViaBranches {

    static final String MAGIC = "z9hG4bK";
    static final String FORWARD_PREFIX = MAGIC + "gw";
    static final String PROBE_PREFIX = MAGIC + "gwprobe";
    private static final int HASH_BYTES = 12;
    /** One digest per thread: {@code MessageDigest.getInstance} costs a provider lookup on every call. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ViaBranches() {
    }

    static String forForwarding(Request request) {
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        String branch = top == null || top.getBranch() == null ? "" : top.getBranch();
        String key;
        if (branch.startsWith(MAGIC)) {
            // RFC 3261 branches are unique per transaction: they alone identify it (and its CANCEL and non-2xx ACK)
            key = branch + '\n' + top.getHost() + ':' + top.getPort();
        } else {
            // RFC 2543 clients: what identifies the transaction (§16.11), minus the To-tag (the non-2xx ACK has one)
            CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
            key = SipHeaders.callId(request) + '\n' + SipHeaders.fromTag(request) + '\n'
                    + (cseq == null ? "" : cseq.getSeqNumber()) + '\n' + request.getRequestURI() + '\n'
                    + (top == null ? "" : top.getHost() + ':' + top.getPort() + ';' + branch);
        }
        return FORWARD_PREFIX + sha256Hex(key);
    }

    static boolean isOurs(String branch) {
        return branch != null && branch.startsWith(FORWARD_PREFIX);
    }

    static boolean isProbe(String branch) {
        return branch != null && branch.startsWith(PROBE_PREFIX);
    }

    private static String sha256Hex(String text) {
        byte[] digest = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, HASH_BYTES);
    }
}
