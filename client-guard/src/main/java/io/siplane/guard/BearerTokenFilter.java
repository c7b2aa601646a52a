package io.siplane.guard;

import java.io.IOException;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Requires {@code Authorization: Bearer <token>} (RFC 6750 §2.1) on every request it is not told to leave alone;
 * the one token check of the gateway's HTTP edge and of location-service. Compared in constant time over digests
 * ({@link ApiToken}). Anything else gets 401 problem+json with {@code WWW-Authenticate: Bearer} (RFC 6750 §3), with
 * {@code error="invalid_token"} when a token was presented but is wrong.
 */
public final class BearerTokenFilter extends ScopedFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"siplane\"";

    private final ApiToken token;
    private final ProblemWriter problems;

    /**
     * @param open the requests that need no token (health probes, public documentation, paths this filter does not
     *             guard); every other request does
     */
    public BearerTokenFilter(ApiToken token, Predicate<HttpServletRequest> open, ProblemWriter problems) {
        super(open);
        this.token = token;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            reject(request, response, CHALLENGE, "This API requires the header Authorization: Bearer <token>.");
            return;
        }
        if (!token.matches(authorization.substring(SCHEME.length()).strip())) {
            log.debug("Rejected a request with a wrong API token from {}", request.getRemoteAddr());
            reject(request, response, CHALLENGE + ", error=\"invalid_token\"", "The bearer token is not valid.");
            return;
        }
        chain.doFilter(request, response);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String challenge, String detail)
            throws IOException {
        problems.write(request, response, HttpStatus.UNAUTHORIZED, detail, Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }
}
