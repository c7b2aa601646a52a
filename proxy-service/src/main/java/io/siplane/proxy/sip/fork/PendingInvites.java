package io.siplane.proxy.sip.fork;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.sip.header.CSeqHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import io.siplane.proxy.loop.BranchIdMinter;
import io.siplane.sip.message.SipHeaders;

/**
 * The INVITEs this replica forwards and has not finished, by the key a CANCEL matches them with (RFC 3261 §9.2:
 * same top Via branch and sent-by). Local to the replica: the gateway's Call-ID affinity brings a CANCEL here.
 */
public final class PendingInvites {

    private final ConcurrentMap<String, ForkContext> byKey = new ConcurrentHashMap<>();

    void add(String key, ForkContext context) {
        byKey.put(key, context);
    }

    void remove(String key, ForkContext context) {
        byKey.remove(key, context);
    }

    /** The INVITE a CANCEL is for, if it is still in progress here. */
    public Optional<ForkContext> cancelledBy(Request cancel) {
        return Optional.ofNullable(byKey.get(keyOf(cancel)));
    }

    public int size() {
        return byKey.size();
    }

    /**
     * RFC 3261 §9.2 / §17.2.3: a CANCEL matches its INVITE by the top Via's branch and sent-by; for an RFC 2543 client
     * without magic cookie, by Call-ID, From tag and CSeq number.
     */
    static String keyOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        String sentBy = via == null ? "" : via.getHost() + ":" + via.getPort();
        String branch = via == null ? null : via.getBranch();
        if (branch != null && branch.startsWith(BranchIdMinter.MAGIC_COOKIE)) {
            return branch + "|" + sentBy;
        }
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        return SipHeaders.callId(request) + "|" + SipHeaders.fromTag(request) + "|" + (cseq == null ? 0 : cseq.getSeqNumber())
                + "|" + sentBy;
    }
}
