package io.siplane.proxy.sip.fork;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import io.siplane.proxy.loop.BranchIdMinter;
import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.sip.relay.RequestCopier;

/**
 * What every {@link ForkContext} of this replica works with, handed to each one as one value: it copies the request
 * for each branch, mints the branch ids, counts, runs Timer C, and leaves the index of pending INVITEs when done.
 *
 * @param copier      makes each branch's copy of the request (RFC 3261 §16.6)
 * @param branchIds   the Via branch of each client transaction
 * @param metrics     requests, forks, branch outcomes, session set-up time
 * @param recordRoute whether dialog-creating requests get our Record-Route
 * @param timerC      RFC 3261 §16.6 step 11, for INVITE branches
 * @param timers      runs Timer C
 * @param invites     the INVITEs in progress, by which a CANCEL finds its INVITE
 */
public record ForkServices(RequestCopier copier, BranchIdMinter branchIds, ProxyMetrics metrics, boolean recordRoute,
        Duration timerC, ScheduledExecutorService timers, PendingInvites invites) {
}
