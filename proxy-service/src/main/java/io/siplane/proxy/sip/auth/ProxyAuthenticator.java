package io.siplane.proxy.sip.auth;

import java.util.List;
import java.util.Optional;

import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.location.LocationUnavailableException;
import io.siplane.proxy.ProxyProperties;
import io.siplane.proxy.routing.LocalDomains;
import io.siplane.sip.digest.AuthOutcome;
import io.siplane.sip.digest.DigestAuthenticator;
import io.siplane.sip.digest.SipDigest;
import io.siplane.sip.message.ClientAddressResolver;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * Proxy authentication (RFC 3261 §22.3, §16.3 step 6) of the configured methods when the From claims one of our
 * domains: 407 with a challenge per algorithm, with sip-commons' {@link DigestAuthenticator} (the realm is the
 * From's domain, as for REGISTER, so the subscriber's stored HA1 applies). The authenticated user must be the
 * From's user (403 otherwise). Once checked, our realm's credentials are removed from the forwarded request; other
 * realms' stay (§22.3). Callers from other domains are not challenged: they are calling in.
 */
public final class ProxyAuthenticator {

    private final ProxyProperties.Authentication policy;
    private final Optional<DigestAuthenticator> authenticator;
    private final LocalDomains domains;
    private final ClientAddressResolver clients;
    private final int retryAfterSeconds;

    public ProxyAuthenticator(ProxyProperties properties, Optional<DigestAuthenticator> authenticator, LocalDomains domains,
            ClientAddressResolver clients) {
        this.policy = properties.authentication();
        this.authenticator = authenticator;
        this.domains = domains;
        this.clients = clients;
        this.retryAfterSeconds = properties.retryAfterSeconds();
    }

    /**
     * Checks {@code in}; empty when it may go on (then {@code outgoing} no longer carries our credentials), else the
     * answer to send.
     */
    public Optional<Response> check(IncomingRequest in, Request outgoing) throws InvalidArgumentException {
        Request request = in.request();
        if (authenticator.isEmpty() || !policy.challenges(request.getMethod())) {
            return Optional.empty();
        }
        Optional<SipURI> from = SipHeaders.first(request, FromHeader.NAME, FromHeader.class)
                .map(f -> f.getAddress().getURI())
                .filter(SipURI.class::isInstance).map(SipURI.class::cast);
        Optional<String> realm = from.flatMap(this::realmOf);
        if (realm.isEmpty()) {
            return Optional.empty();
        }
        String requestKey = SipHeaders.callId(request) + " " + SipHeaders.cseq(request);
        AuthOutcome outcome;
        try {
            // behind the gateway the lockout counts the phone's address, never the gateway's (one attacker must not
            // lock every user out)
            String client = clients.clientOf(request, in.source()).address();
            outcome = authenticator.get().authenticate(request.getMethod(), request.getRequestURI().toString(), realm.get(),
                    client, requestKey, SipDigest.proxyAuthorization(request));
        } catch (LocationUnavailableException e) {
            Response unavailable = in.response(Response.SERVICE_UNAVAILABLE);
            RetryAfterHeader retryAfter = in.factories().headers().createRetryAfterHeader(retryAfterSeconds);
            unavailable.setHeader(retryAfter);
            return Optional.of(unavailable);
        }
        if (outcome instanceof AuthOutcome.Authenticated authenticated) {
            if (!authenticated.username().equals(from.get().getUser())) {
                return Optional.of(in.response(Response.FORBIDDEN, "Credentials Do Not Match From"));
            }
            removeCredentialsFor(outgoing, realm.get());
            return Optional.empty();
        }
        if (outcome instanceof AuthOutcome.Challenge challenge) {
            Response response = in.response(Response.PROXY_AUTHENTICATION_REQUIRED);
            SipDigest.addChallenges(response, authenticator.get().challenges(realm.get(), challenge.stale()), in.factories().headers());
            return Optional.of(response);
        }
        if (outcome instanceof AuthOutcome.BadRequest bad) {
            return Optional.of(in.response(Response.BAD_REQUEST, bad.reason()));
        }
        return Optional.of(in.response(Response.FORBIDDEN));
    }

    /** The realm for a From of ours: its domain, or the default domain for the proxy's own address. */
    private Optional<String> realmOf(SipURI from) {
        if (domains.isDomain(from.getHost())) {
            return Optional.of(from.getHost().toLowerCase(java.util.Locale.ROOT));
        }
        if (domains.isOwnAddress(from.getHost(), from.getPort())) {
            return Optional.of(domains.defaultDomain());
        }
        return Optional.empty();
    }

    private static void removeCredentialsFor(Request outgoing, String realm) {
        List<ProxyAuthorizationHeader> all = SipHeaders.all(outgoing, ProxyAuthorizationHeader.NAME, ProxyAuthorizationHeader.class);
        if (all.isEmpty()) {
            return;
        }
        outgoing.removeHeader(ProxyAuthorizationHeader.NAME);
        for (ProxyAuthorizationHeader h : all) {
            if (h.getRealm() == null || !h.getRealm().equalsIgnoreCase(realm)) {
                outgoing.addHeader(h);
            }
        }
    }
}
