package io.siplane.testsupport.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The client side of digest authentication (RFC 7616 §3.4, RFC 8760 algorithms) for tests: answers a 401 or 407
 * challenge with MD5 or SHA-256 and {@code qop=auth}.
 */
public final class DigestClient {

    private DigestClient() {
    }

    /** The challenges of a 401 ({@code WWW-Authenticate}) or 407 ({@code Proxy-Authenticate}), in order. */
    public static List<WWWAuthenticateHeader> challenges(Response response) {
        String name = response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED ? ProxyAuthenticateHeader.NAME
                : WWWAuthenticateHeader.NAME;
        List<WWWAuthenticateHeader> out = new java.util.ArrayList<>();
        ListIterator<?> it = response.getHeaders(name);
        while (it != null && it.hasNext()) {
            out.add((WWWAuthenticateHeader) it.next());
        }
        return out;
    }

    /** The offered challenge for the credentials' algorithm (absent algorithm counts as MD5). */
    public static Optional<WWWAuthenticateHeader> challengeFor(Response response, String algorithm) {
        return challenges(response).stream()
                .filter(c -> algorithmOf(c).equalsIgnoreCase(algorithm))
                .findFirst();
    }

    /**
     * An {@code Authorization} (or {@code Proxy-Authorization} when {@code proxy}) answering {@code challenge} for
     * {@code request}, with the given nonce-count and cnonce.
     */
    public static AuthorizationHeader authorization(HeaderFactory headers, Request request, WWWAuthenticateHeader challenge,
            Credentials credentials, long nc, String cnonce, boolean proxy) {
        String algorithm = algorithmOf(challenge);
        String realm = challenge.getRealm();
        String uri = request.getRequestURI().toString();
        String ncText = String.format(Locale.ROOT, "%08x", nc);
        boolean qopAuth = challenge.getQop() != null
                && List.of(challenge.getQop().toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("auth");
        String ha1 = hash(algorithm, credentials.username() + ":" + realm + ":" + credentials.password());
        String ha2 = hash(algorithm, request.getMethod() + ":" + uri);
        String response = qopAuth
                ? hash(algorithm, ha1 + ":" + challenge.getNonce() + ":" + ncText + ":" + cnonce + ":auth:" + ha2)
                : hash(algorithm, ha1 + ":" + challenge.getNonce() + ":" + ha2);
        try {
            AuthorizationHeader h = proxy ? headers.createProxyAuthorizationHeader("Digest")
                    : headers.createAuthorizationHeader("Digest");
            h.setUsername(credentials.username());
            h.setRealm(realm);
            h.setNonce(challenge.getNonce());
            h.setURI(request.getRequestURI());
            h.setResponse(response);
            h.setAlgorithm(algorithm);
            if (qopAuth) {
                h.setQop("auth");
                h.setCNonce(cnonce);
                h.setParameter("nc", ncText);
            }
            if (challenge.getOpaque() != null) {
                h.setOpaque(challenge.getOpaque());
            }
            return h;
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String newCnonce() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    static String algorithmOf(WWWAuthenticateHeader challenge) {
        return challenge.getAlgorithm() == null ? "MD5" : challenge.getAlgorithm();
    }

    static String hash(String algorithm, String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256".equalsIgnoreCase(algorithm) ? "SHA-256" : "MD5");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
