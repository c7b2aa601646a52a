package io.siplane.proxy.sip.fork;

import java.util.concurrent.ScheduledFuture;

import javax.sip.ClientTransaction;
import javax.sip.SipProvider;

import io.siplane.proxy.routing.ContactTarget;

/**
 * The state of one client transaction of a forked request (RFC 3261 §16.6 step 10), owned by its {@link ForkContext}
 * (which finds it by its transaction) and changed only under the context's lock.
 */
final class Branch {

    private final ContactTarget target;
    private ClientTransaction transaction;
    private SipProvider provider;
    private boolean provisionalReceived;
    private boolean completed;
    private boolean cancelWanted;
    private boolean cancelSent;
    private String cancelReason;
    private ScheduledFuture<?> timerC;

    Branch(ContactTarget target) {
        this.target = target;
    }

    ContactTarget target() {
        return target;
    }

    void started(ClientTransaction transaction, SipProvider provider) {
        this.transaction = transaction;
        this.provider = provider;
    }

    ClientTransaction transaction() {
        return transaction;
    }

    SipProvider provider() {
        return provider;
    }

    boolean isLive() {
        return !completed;
    }

    boolean provisionalReceived() {
        return provisionalReceived;
    }

    void provisional() {
        provisionalReceived = true;
    }

    /** Ended: a final response, a timeout or a transport error. Timer C stops. */
    void complete() {
        completed = true;
        stopTimerC();
    }

    boolean cancelWanted() {
        return cancelWanted && !cancelSent;
    }

    boolean cancelSent() {
        return cancelSent;
    }

    void wantCancel(String reason) {
        cancelWanted = true;
        cancelReason = reason;
    }

    String cancelReason() {
        return cancelReason;
    }

    void cancelSentNow() {
        cancelSent = true;
    }

    void timerC(ScheduledFuture<?> timer) {
        stopTimerC();
        this.timerC = timer;
    }

    void stopTimerC() {
        if (timerC != null) {
            timerC.cancel(false);
            timerC = null;
        }
    }

    @Override
    public String toString() {
        return "Branch[" + target.uri() + (completed ? ", completed" : "") + "]";
    }
}
