package io.siplane.locationservice.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import io.siplane.locationservice.web.ProblemWriter;

/**
 * Requires {@code Authorization: Bearer <token>} on every request except the public paths
 * (health probes; the API documentation when configured public). Anything else without the right
 * token gets 401 with {@code WWW-Authenticate: Bearer} (RFC 6750 §3) and a problem+json body.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final String REALM = "siplane";

    private final ApiToken token;
    private final List<String> publicPaths;
    private final ProblemWriter problems;

    BearerTokenFilter(ApiToken token, boolean publicDocs, ProblemWriter problems) {
        this.token = token;
        this.publicPaths = publicDocs
                ? List.of("/actuator/health", "/v3/api-docs", "/swagger-ui.html", "/swagger-ui")
                : List.of("/actuator/health");
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isPublic(request)) {
            chain.doFilter(request, response);
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reject(request, response, "Bearer realm=\"" + REALM + "\"",
                    "This API requires the header Authorization: Bearer <token>.");
            return;
        }
        if (!token.matches(authorization.substring(7).strip())) {
            log.debug("Rejected a request with a wrong API token from {}", request.getRemoteAddr());
            reject(request, response, "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"",
                    "The bearer token is not valid.");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Public only for reads, and only when both the path Tomcat normalised and the raw request URI
     * name a public path, so that dot-segments or path parameters cannot smuggle a protected path in.
     */
    private boolean isPublic(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        String normalised = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        return underPublicPath(normalised) && underPublicPath(raw);
    }

    private boolean underPublicPath(String path) {
        for (String p : publicPaths) {
            if (path.equals(p) || path.startsWith(p + "/") || (p.equals("/v3/api-docs") && path.equals("/v3/api-docs.yaml"))) {
                return true;
            }
        }
        return false;
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String challenge, String detail)
            throws IOException {
        problems.write(request, response, HttpStatus.UNAUTHORIZED, detail,
                Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge));
    }
}
