package io.siplane.proxy.sip.fork;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.ListIterator;
import java.util.concurrent.TimeUnit;

import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.proxy.fork.BestResponse;
import io.siplane.proxy.fork.FinalEffect;
import io.siplane.proxy.fork.ForkPlan;
import io.siplane.proxy.routing.ContactTarget;
import io.siplane.proxy.sip.relay.RequestCopier;
import io.siplane.proxy.sip.relay.Unroutable;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.SipResponses;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * The response context of one request forwarded statefully (RFC 3261 §16.7): its server transaction, its branches,
 * the final responses collected so far, and what is still to be tried.
 *
 * <ul>
 *   <li>Targets of the highest q are tried in parallel; the next q group starts when the whole group has failed.</li>
 *   <li>Provisional responses other than 100 go upstream at once; so does every 2xx to an INVITE, even after a final
 *       response (RFC 3261 §16.7 step 5). The first 2xx cancels the other branches and stops the search.</li>
 *   <li>A 6xx cancels the other branches, stops the search and is forwarded at once, without waiting for the
 *       cancelled branches.</li>
 *   <li>Other finals are kept; when no branch is left the best is sent ({@link BestResponse}); challenges of every
 *       401/407 are merged into the chosen one; a chosen 503 becomes 500 (§16.7 step 6).</li>
 *   <li>Timer C (§16.6 step 11) guards each INVITE branch: when it fires, a branch with a provisional response is
 *       cancelled, one without behaves as if it got a 408.</li>
 *   <li>A CANCEL from the caller (§16.10) cancels every pending branch and ends the INVITE with 487 at once.</li>
 *   <li>A branch may only be cancelled once it has a provisional response (RFC 3261 §9.1); until then the wish is
 *       remembered and the CANCEL goes out with the first provisional.</li>
 * </ul>
 * Every method runs under this object's lock: stack threads (responses, timeouts) and the Timer C thread meet here.
 * The context is the application data of its branches' client transactions; it finds a branch by its transaction.
 */
public final class ForkContext {

    private static final Logger log = LoggerFactory.getLogger(ForkContext.class);

    /** The application data of the CANCELs the proxy sends itself: their answers end at the response handler. */
    private static final Object OWN_CANCEL = new Object();

    private final ForkServices services;
    private final IncomingRequest incoming;
    private final ServerTransaction serverTransaction;
    private final Request request;
    private final String method;
    private final boolean invite;
    private final String loopHash;
    private final String key;
    private final long startedNanos = System.nanoTime();

    private final Deque<List<ContactTarget>> groups = new ArrayDeque<>();
    private final List<Branch> branches = new ArrayList<>();
    private final List<Response> finals = new ArrayList<>();
    private boolean finalSent;
    private boolean answered;
    private boolean searchStopped;
    private boolean startingBranches;

    ForkContext(ForkServices services, IncomingRequest incoming, ServerTransaction serverTransaction, Request request,
            String loopHash, String key) {
        this.services = services;
        this.incoming = incoming;
        this.serverTransaction = serverTransaction;
        this.request = request;
        this.method = request.getMethod();
        this.invite = Request.INVITE.equals(method);
        this.loopHash = loopHash;
        this.key = key;
    }

    /** Forks to the targets (RFC 3261 §16.6), unless the request was cancelled or answered meanwhile. */
    public synchronized void fork(List<ContactTarget> targets) {
        if (finalSent) {
            release();
            return;
        }
        groups.addAll(ForkPlan.byQ(targets));
        if (targets.size() > 1) {
            services.metrics().forked(method);
        }
        startNextGroup();
    }

    /** Ends the request here with our own final response (a rejection before any branch, e.g. 404 or 407). */
    public synchronized void reject(Response response) {
        if (!finalSent) {
            sendFinal(response);
        }
        release();
    }

    /** The caller's CANCEL (RFC 3261 §16.10): stop searching, cancel every pending branch, answer the INVITE 487. */
    public synchronized void cancel() {
        if (finalSent) {
            return;
        }
        searchStopped = true;
        groups.clear();
        cancelLiveBranches(null);
        sendFinal(incoming.response(Response.REQUEST_TERMINATED));
        releaseIfDone();
    }

    /** The To-tag of the answers this proxy generates for the request, so that the 200 to a CANCEL can carry it too. */
    public String localTag() {
        return SipResponses.statelessToTag(incoming.request());
    }

    /** A response of one of our branches (RFC 3261 §16.7). */
    public synchronized void onResponse(ClientTransaction transaction, Response response) {
        Branch branch = branchOf(transaction);
        if (branch == null) {
            return;
        }
        int status = response.getStatusCode();
        // RFC 3261 §16.7 step 3: our own Via goes before anything is forwarded
        response.removeFirst(ViaHeader.NAME);
        if (status < 200) {
            onProvisional(branch, response, status);
            return;
        }
        boolean wasLive = branch.isLive();
        branch.complete();
        FinalEffect effect = FinalEffect.of(status);
        if (effect == FinalEffect.ANSWERED) {
            if (wasLive) {
                services.metrics().branchEnded(method, "2xx");
            }
            forward2xx(response);
            if (!answered) {
                answered = true;
                searchStopped = true;
                groups.clear();
                cancelLiveBranches("SIP;cause=200;text=\"Call completed elsewhere\"");
            }
            releaseIfDone();
            return;
        }
        if (!wasLive) {
            // a branch Timer C already gave up on; only a 2xx would still matter
            return;
        }
        services.metrics().branchEnded(method, status / 100 + "xx");
        if (effect == FinalEffect.GLOBAL_FAILURE) {
            // RFC 3261 §16.7 step 5: no new branches, cancel the others; we forward the 6xx without waiting for them
            searchStopped = true;
            groups.clear();
            cancelLiveBranches(null);
            if (!finalSent) {
                sendFinal(response);
            }
            releaseIfDone();
            return;
        }
        finals.add(response);
        advance();
    }

    /** Timer B/F of a branch: no final response came (RFC 3261 §16.7 step 2 treats it as a 408). */
    public synchronized void onTimeout(ClientTransaction transaction) {
        failBranch(branchOf(transaction), Response.REQUEST_TIMEOUT, "timeout");
    }

    /** The transport could not deliver the request (RFC 3261 §16.9: as if a 503 came back). */
    public synchronized void onTransportError(ClientTransaction transaction) {
        failBranch(branchOf(transaction), Response.SERVICE_UNAVAILABLE, "transport-error");
    }

    /** The client transaction ended; a branch still waiting for its final answer never gets one. */
    public synchronized void onTerminated(ClientTransaction transaction) {
        failBranch(branchOf(transaction), Response.REQUEST_TIMEOUT, "timeout");
    }

    /** RFC 3261 §16.8: Timer C fired for an INVITE branch. */
    private synchronized void onTimerC(Branch branch) {
        if (!branch.isLive()) {
            return;
        }
        if (branch.provisionalReceived() && !branch.cancelSent()) {
            branch.wantCancel(null);
            sendCancel(branch);
            // give the callee one more Timer C to answer the CANCEL with 487
            scheduleTimerC(branch);
        } else {
            failBranch(branch, Response.REQUEST_TIMEOUT, "timeout");
        }
    }

    private void onProvisional(Branch branch, Response response, int status) {
        if (!branch.isLive()) {
            return;
        }
        branch.provisional();
        if (invite && status > 100 && !branch.cancelSent()) {
            // RFC 3261 §16.7 step 2: a provisional response resets Timer C
            scheduleTimerC(branch);
        }
        if (branch.cancelWanted()) {
            sendCancel(branch);
        }
        if (status == 100 || finalSent) {
            return;
        }
        try {
            serverTransaction.sendResponse(response);
        } catch (SipException | InvalidArgumentException e) {
            log.debug("cannot forward a {} for Call-ID {}: {}", status, SipHeaders.callId(response), e.getMessage());
        }
    }

    private void failBranch(Branch branch, int status, String outcome) {
        if (branch == null || !branch.isLive()) {
            return;
        }
        branch.complete();
        services.metrics().branchEnded(method, outcome);
        finals.add(incoming.response(status));
        advance();
    }

    /** After a branch ended: start the next group, or answer when nothing is left to wait for. */
    private void advance() {
        if (startingBranches || anyLive()) {
            return;
        }
        if (!finalSent) {
            if (!groups.isEmpty() && !searchStopped) {
                startNextGroup();
                return;
            }
            sendBest();
        }
        releaseIfDone();
    }

    private void startNextGroup() {
        startingBranches = true;
        try {
            while (!groups.isEmpty() && !searchStopped && !anyLive()) {
                for (ContactTarget target : groups.poll()) {
                    startBranch(target);
                }
            }
        } finally {
            startingBranches = false;
        }
        advance();
    }

    private void startBranch(ContactTarget target) {
        Branch branch = new Branch(target);
        branches.add(branch);
        try {
            RequestCopier.Outgoing out = services.copier().prepare(request, target, services.branchIds().stateful(loopHash),
                    services.recordRoute() ? Optional.of(incoming.transport()) : Optional.<Transport>empty());
            ClientTransaction ct = out.provider().getNewClientTransaction(out.request());
            ct.setApplicationData(this);
            branch.started(ct, out.provider());
            if (invite) {
                scheduleTimerC(branch);
            }
            ct.sendRequest();
        } catch (Unroutable | SipException e) {
            log.info("{} for Call-ID {} cannot go to {}: {}", method, SipHeaders.callId(request), target.uri(), e.getMessage());
            failBranch(branch, Response.SERVICE_UNAVAILABLE, "transport-error");
        }
    }

    private void sendBest() {
        if (finals.isEmpty()) {
            sendFinal(incoming.response(Response.SERVER_INTERNAL_ERROR));
            return;
        }
        Response best = finals.get(BestResponse.choose(finals.stream().map(Response::getStatusCode).toList()));
        switch (BestResponse.treatmentOf(best.getStatusCode())) {
            case MERGE_CHALLENGES -> mergeChallenges(best);
            case AS_500 -> best = incoming.response(Response.SERVER_INTERNAL_ERROR);
            case AS_IS -> { }
        }
        sendFinal(best);
    }

    /** RFC 3261 §16.7 step 7: every WWW-Authenticate and Proxy-Authenticate of every 401/407 goes into the chosen one. */
    private void mergeChallenges(Response best) {
        for (Response other : finals) {
            if (other == best) {
                continue;
            }
            for (String name : List.of(WWWAuthenticateHeader.NAME, ProxyAuthenticateHeader.NAME)) {
                ListIterator<?> it = other.getHeaders(name);
                while (it != null && it.hasNext()) {
                    best.addHeader((Header) ((Header) it.next()).clone());
                }
            }
        }
    }

    private void forward2xx(Response response) {
        if (!finalSent) {
            sendFinal(response);
            if (invite) {
                services.metrics().sessionSetUp(Duration.ofNanos(System.nanoTime() - startedNanos));
            }
        } else if (invite) {
            try {
                incoming.provider().sendResponse(response);
            } catch (SipException e) {
                log.debug("cannot forward another 2xx for Call-ID {}: {}", SipHeaders.callId(response), e.getMessage());
            }
        }
    }

    private void sendFinal(Response response) {
        finalSent = true;
        services.metrics().completed(method, response.getStatusCode());
        try {
            serverTransaction.sendResponse(response);
        } catch (SipException | InvalidArgumentException e) {
            log.info("cannot send the final {} for {} Call-ID {}: {}", response.getStatusCode(), method,
                    SipHeaders.callId(request), e.getMessage());
        }
    }

    private void cancelLiveBranches(String reason) {
        if (!invite) {
            // RFC 3261 §9.1: only INVITE can be cancelled; other branches just end
            return;
        }
        for (Branch branch : branches) {
            if (branch.isLive() && !branch.cancelSent()) {
                branch.wantCancel(reason);
                if (branch.provisionalReceived()) {
                    sendCancel(branch);
                }
            }
        }
    }

    private void sendCancel(Branch branch) {
        branch.cancelSentNow();
        try {
            Request cancel = branch.transaction().createCancel();
            if (branch.cancelReason() != null) {
                // RFC 3326: why the branch is cancelled
                cancel.addHeader(SipFactories.get().headers().createHeader("Reason", branch.cancelReason()));
            }
            ClientTransaction ct = branch.provider().getNewClientTransaction(cancel);
            ct.setApplicationData(OWN_CANCEL);
            ct.sendRequest();
        } catch (SipException | ParseException e) {
            log.debug("cannot cancel {}: {}", branch, e.getMessage());
        }
    }

    private void scheduleTimerC(Branch branch) {
        branch.timerC(services.timers().schedule(() -> onTimerC(branch), services.timerC().toMillis(), TimeUnit.MILLISECONDS));
    }

    private Branch branchOf(ClientTransaction transaction) {
        for (Branch branch : branches) {
            if (branch.transaction() == transaction) {
                return branch;
            }
        }
        return null;
    }

    private boolean anyLive() {
        for (Branch branch : branches) {
            if (branch.isLive()) {
                return true;
            }
        }
        return false;
    }

    private void releaseIfDone() {
        if (finalSent && !anyLive()) {
            release();
        }
    }

    private void release() {
        for (Branch branch : branches) {
            branch.stopTimerC();
        }
        if (key != null) {
            services.invites().remove(key, this);
        }
    }

    @Override
    public String toString() {
        return "ForkContext[" + method + " " + SipHeaders.callId(request) + ", branches=" + branches.size() + "]";
    }
}
