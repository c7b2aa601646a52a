package io.siplane.proxy.fork;

import java.util.concurrent.ScheduledFuture;

import javax.sip.ClientTransaction;
import javax.sip.SipProvider;

import io.siplane.proxy.routing.Target;

/**
 * One client transaction of a forked request (RFC 3261 §16.6 step 10), as its {@link ForkContext} sees it. Its state
 * changes only under the context's lock.
 */
public final class Branch {

    /** The application data of the CANCELs the proxy sends itself: their answers end here. */
    public static final Object OWN_CANCEL = new Object();

    private final ForkContext context;
    private final Target target;
    private ClientTransaction transaction;
    private SipProvider provider;
    private boolean provisionalReceived;
    private boolean completed;
    private boolean cancelWanted;
    private boolean cancelSent;
    private String cancelReason;
    private ScheduledFuture<?> timerC;

    Branch(ForkContext context, Target target) {
        this.context = context;
        this.target = target;
    }

    public ForkContext context() {
        return context;
    }

    Target target() {
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
