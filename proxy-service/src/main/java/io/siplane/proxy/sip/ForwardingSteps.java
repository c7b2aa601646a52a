package io.siplane.proxy.sip;

import java.util.List;
import java.util.Optional;

import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.address.SipURI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.proxy.routing.ContactTarget;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.proxy.routing.Resolution;
import io.siplane.proxy.routing.TargetResolver;
import io.siplane.proxy.sip.auth.ProxyAuthenticator;
import io.siplane.proxy.sip.fork.ForkContext;
import io.siplane.proxy.sip.fork.Forker;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * Stateful forwarding (RFC 3261 §16.2–16.7, §16.10): CANCEL to its INVITE's context; for everything else a server
 * transaction and a response context, then authentication, target resolution and forking. Once the context is open
 * every answer goes through it.
 */
public final class ForwardingSteps {

    /** RFC 3261 §16.6 step 3: the copies of a request without Max-Forwards get 70. */
    private static final int DEFAULT_MAX_FORWARDS = 70;

    private final Forker forker;
    private final ProxyAuthenticator authenticator;
    private final TargetResolver resolver;
    private final LocalDomains domains;
    private final ProxyAnswers answers;
    private final boolean relayForeignDomains;

    public ForwardingSteps(Forker forker, ProxyAuthenticator authenticator, TargetResolver resolver, LocalDomains domains,
            ProxyAnswers answers, boolean relayForeignDomains) {
        this.forker = forker;
        this.authenticator = authenticator;
        this.resolver = resolver;
        this.domains = domains;
        this.answers = answers;
        this.relayForeignDomains = relayForeignDomains;
    }

    /**
     * RFC 3261 §16.10: 200 to the CANCEL (with the INVITE's To-tag), then the INVITE's branches are cancelled. Every
     * INVITE is forwarded statefully: no context here means no INVITE in progress here (481).
     */
    public Verdict cancel(IncomingRequest in) throws Exception {
        if (!Request.CANCEL.equals(in.method())) {
            return Verdict.NEXT;
        }
        Optional<ForkContext> context = forker.findCancelled(in.request());
        if (context.isEmpty()) {
            answers.answer(in, in.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
            return Verdict.DONE;
        }
        Response ok = in.response(Response.OK);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(context.get().localTag());
        answers.answer(in, ok);
        context.get().cancel();
        return Verdict.DONE;
    }

    /**
     * RFC 3261 §16.2, §17.2: a server transaction absorbs the caller's retransmissions, 100 Trying stops an INVITE's;
     * the response context opens (findable by a CANCEL from now on, while the target is still being looked up).
     */
    public Verdict openTransaction(IncomingRequest in) throws Exception {
        ProxyExchange exchange = ProxyExchange.of(in);
        if (in.request().getHeader(MaxForwardsHeader.NAME) == null) {
            // the stack's transactions insist on one; the forwarded copies get 70 anyway (RFC 3261 §16.6 step 3)
            in.request().setHeader(in.factories().headers().createMaxForwardsHeader(DEFAULT_MAX_FORWARDS));
        }
        ServerTransaction serverTransaction;
        try {
            serverTransaction = in.serverTransaction();
        } catch (TransactionUnavailableException e) {
            if (!(e.getCause() instanceof TransactionAlreadyExistsException)) {
                // the stack finds the request unfit for a transaction (a mandatory header missing)
                answers.answer(in, in.response(Response.BAD_REQUEST));
            }
            return Verdict.DONE;
        }
        if (Request.INVITE.equals(in.method())) {
            in.respond(in.response(Response.TRYING));
        }
        exchange.context(forker.open(in, serverTransaction, exchange.routed(), exchange.loopHash()));
        return Verdict.NEXT;
    }

    /** RFC 3261 §22.3: 407 for callers of our domains without valid credentials; theirs removed from the copy. */
    public Verdict authenticate(IncomingRequest in) throws Exception {
        ProxyExchange exchange = ProxyExchange.of(in);
        Optional<Response> denied = authenticator.check(in, exchange.routed());
        if (denied.isEmpty()) {
            return Verdict.NEXT;
        }
        exchange.context().reject(denied.get());
        return Verdict.DONE;
    }

    /**
     * RFC 3261 §16.5: our domains through the location store (404, 480, 503); a foreign domain only when relaying is
     * allowed (else 403).
     */
    public Verdict resolveTarget(IncomingRequest in) throws Exception {
        ProxyExchange exchange = ProxyExchange.of(in);
        Resolution resolution = resolve((SipURI) exchange.routed().getRequestURI());
        if (resolution instanceof Resolution.Targets targets) {
            exchange.targets(targets.targets());
            return Verdict.NEXT;
        }
        exchange.context().reject(answers.responseFor(in, resolution));
        return Verdict.DONE;
    }

    /** RFC 3261 §16.6: one client transaction per target, by q ({@link ForkContext}). */
    public Verdict fork(IncomingRequest in) {
        ProxyExchange exchange = ProxyExchange.of(in);
        exchange.context().fork(exchange.targets());
        return Verdict.DONE;
    }

    private Resolution resolve(SipURI uri) {
        if (!domains.isLocal(uri.getHost(), uri.getPort())) {
            return relayForeignDomains ? new Resolution.Targets(List.of(ContactTarget.of(uri.toString())))
                    : new Resolution.RelayDenied();
        }
        try {
            return domains.addressOfRecord(uri.getScheme(), uri.getUser(), uri.getHost(), uri.getPort())
                    .map(resolver::resolve)
                    .orElseGet(Resolution.UnknownUser::new);
        } catch (IllegalArgumentException e) {
            return new Resolution.UnknownUser();
        }
    }
}
