package io.siplane.proxy.fork;

import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import io.siplane.proxy.loop.BranchIds;
import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.relay.RequestForwarder;
import io.siplane.sip.SipFactories;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * Opens {@link ForkContext}s and holds what they share: the forwarder, branch ids, Timer C, metrics, and the INVITE
 * contexts in progress, by which a CANCEL finds its INVITE (RFC 3261 §9.2: same top Via branch and sent-by).
 * Everything here is local to this replica.
 */
public final class Forker implements AutoCloseable {

    private final RequestForwarder forwarder;
    private final BranchIds branchIds;
    private final ProxyMetrics metrics;
    private final boolean recordRoute;
    private final Duration timerC;
    private final ScheduledExecutorService timers;
    private final ConcurrentMap<String, ForkContext> invites = new ConcurrentHashMap<>();

    public Forker(RequestForwarder forwarder, BranchIds branchIds, ProxyMetrics metrics, boolean recordRoute, Duration timerC) {
        this.forwarder = forwarder;
        this.branchIds = branchIds;
        this.metrics = metrics;
        this.recordRoute = recordRoute;
        this.timerC = timerC;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("proxy-timer-c");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
    }

    /**
     * The response context of a request about to be forwarded statefully; an INVITE's is findable by its CANCEL
     * from now on, even while its targets are still being looked up.
     *
     * @param request  the request after route pre-processing: the template of every branch
     * @param loopHash the request's loop hash (part of every branch id)
     */
    public ForkContext open(IncomingRequest incoming, ServerTransaction serverTransaction, Request request, String loopHash) {
        boolean invite = Request.INVITE.equals(request.getMethod());
        String key = invite ? keyOf(incoming.request()) : null;
        ForkContext context = new ForkContext(this, incoming, serverTransaction, request, loopHash, key);
        if (key != null) {
            invites.put(key, context);
        }
        return context;
    }

    /** The INVITE a CANCEL is for, if it is still in progress here. */
    public Optional<ForkContext> findCancelled(Request cancel) {
        return Optional.ofNullable(invites.get(keyOf(cancel)));
    }

    /** INVITE contexts in progress (for the gauge). */
    public int active() {
        return invites.size();
    }

    void release(ForkContext context) {
        if (context.key() != null) {
            invites.remove(context.key(), context);
        }
    }

    /**
     * RFC 3261 §9.2 / §17.2.3: a CANCEL matches its INVITE by the top Via's branch and sent-by; for an RFC 2543 client
     * without magic cookie, by Call-ID, From tag and CSeq number.
     */
    static String keyOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        String sentBy = via == null ? "" : via.getHost() + ":" + via.getPort();
        String branch = via == null ? null : via.getBranch();
        if (branch != null && branch.startsWith(BranchIds.MAGIC_COOKIE)) {
            return branch + "|" + sentBy;
        }
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        return SipHeaders.callId(request) + "|" + SipHeaders.fromTag(request) + "|" + (cseq == null ? 0 : cseq.getSeqNumber())
                + "|" + sentBy;
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    Header reasonHeader(String value) throws ParseException {
        return SipFactories.get().headers().createHeader("Reason", value);
    }

    RequestForwarder forwarder() {
        return forwarder;
    }

    BranchIds branchIds() {
        return branchIds;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    boolean recordRoute() {
        return recordRoute;
    }

    Duration timerC() {
        return timerC;
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
