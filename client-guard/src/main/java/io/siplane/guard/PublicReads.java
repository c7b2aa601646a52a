package io.siplane.guard;

import java.util.List;
import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The requests that need no token: reads (GET, HEAD) of a path at or under one of the public paths. Only when both
 * the path the container normalised and the raw request URI name a public path, so that dot-segments or path
 * parameters cannot smuggle a protected path in.
 */
public final class PublicReads implements Predicate<HttpServletRequest> {

    private final List<String> paths;

    private PublicReads(List<String> paths) {
        this.paths = List.copyOf(paths);
    }

    /** {@code /v3/api-docs} covers its {@code .yaml} form too, as springdoc serves both. */
    public static PublicReads of(List<String> paths) {
        return new PublicReads(paths);
    }

    @Override
    public boolean test(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        String normalised = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        return underPublicPath(normalised) && underPublicPath(raw);
    }

    private boolean underPublicPath(String path) {
        for (String p : paths) {
            if (path.equals(p) || path.startsWith(p + "/") || (p.equals("/v3/api-docs") && path.equals("/v3/api-docs.yaml"))) {
                return true;
            }
        }
        return false;
    }
}
