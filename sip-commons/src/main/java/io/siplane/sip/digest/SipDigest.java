package io.siplane.sip.digest;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.sip.message.SipHeaders;

/** Reads digest credentials from, and writes challenges to, JAIN-SIP messages. */
public final class SipDigest {

    private static final String DIGEST = "Digest";

    private SipDigest() {
    }

    /** The {@code Authorization} credentials of a request (registrar, RFC 3261 §22.2). */
    public static List<DigestCredentials> authorization(Request request) {
        return SipHeaders.all(request, AuthorizationHeader.NAME, AuthorizationHeader.class).stream()
                .filter(h -> DIGEST.equalsIgnoreCase(h.getScheme()))
                .map(SipDigest::credentials)
                .toList();
    }

    /** The {@code Proxy-Authorization} credentials of a request (proxy, RFC 3261 §22.3). */
    public static List<DigestCredentials> proxyAuthorization(Request request) {
        return SipHeaders.all(request, ProxyAuthorizationHeader.NAME, ProxyAuthorizationHeader.class).stream()
                .filter(h -> DIGEST.equalsIgnoreCase(h.getScheme()))
                .map(SipDigest::credentials)
                .toList();
    }

    /**
     * Adds the challenges to a 401 ({@code WWW-Authenticate}) or 407 ({@code Proxy-Authenticate}) response, in the
     * given order (RFC 8760 §2.4: the preferred algorithm first).
     */
    public static void addChallenges(Response response, List<DigestChallenge> challenges, HeaderFactory headers) {
        boolean proxy = response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        try {
            for (DigestChallenge c : challenges) {
                WWWAuthenticateHeader h = proxy ? headers.createProxyAuthenticateHeader(DIGEST) : headers.createWWWAuthenticateHeader(DIGEST);
                h.setRealm(c.realm());
                h.setNonce(c.nonce());
                h.setAlgorithm(c.algorithm().wireName());
                h.setQop(c.qop());
                if (c.stale()) {
                    h.setStale(true);
                }
                response.addHeader(h);
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot write a digest challenge: " + e.getMessage(), e);
        }
    }

    private static DigestCredentials credentials(AuthorizationHeader h) {
        String uri = h.getParameter("uri");
        if (uri == null && h.getURI() != null) {
            uri = h.getURI().toString();
        }
        return new DigestCredentials(h.getUsername(), h.getRealm(), h.getNonce(), uri, h.getResponse(),
                Optional.ofNullable(h.getAlgorithm()), Optional.ofNullable(h.getQop()),
                Optional.ofNullable(h.getParameter("nc")), Optional.ofNullable(h.getCNonce()),
                Optional.ofNullable(h.getOpaque()));
    }
}
