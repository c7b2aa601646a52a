package io.siplane.proxy.sip.fork;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;

import io.siplane.proxy.loop.BranchIdMinter;
import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.sip.relay.RequestCopier;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * Opens the {@link ForkContext} of each request forwarded statefully, giving it the {@link ForkServices} of this
 * replica, and finds the INVITE a CANCEL is for. Owns the Timer C thread.
 */
public final class Forker implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timers;
    private final ForkServices services;

    public Forker(RequestCopier copier, BranchIdMinter branchIds, ProxyMetrics metrics, boolean recordRoute, Duration timerC) {
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("proxy-timer-c");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        this.services = new ForkServices(copier, branchIds, metrics, recordRoute, timerC, timers, new PendingInvites());
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
        String key = invite ? PendingInvites.keyOf(incoming.request()) : null;
        ForkContext context = new ForkContext(services, incoming, serverTransaction, request, loopHash, key);
        if (key != null) {
            services.invites().add(key, context);
        }
        return context;
    }

    /** The INVITE a CANCEL is for, if it is still in progress here. */
    public Optional<ForkContext> findCancelled(Request cancel) {
        return services.invites().cancelledBy(cancel);
    }

    /** INVITE contexts in progress (for the gauge). */
    public int active() {
        return services.invites().size();
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
