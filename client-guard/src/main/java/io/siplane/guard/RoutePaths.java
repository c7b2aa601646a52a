package io.siplane.guard;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.RequestPath;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The requests whose path matches one of some {@link PathPattern}s, matched as Spring MVC's router functions match
 * them ({@code RequestPredicates.path}: the parsed, undecoded path within the application). A filter guarding a
 * route with the route's own patterns covers exactly the requests the route serves.
 */
public final class RoutePaths implements Predicate<HttpServletRequest> {

    private final List<PathPattern> patterns;

    private RoutePaths(List<PathPattern> patterns) {
        this.patterns = patterns;
    }

    public static RoutePaths of(String... patterns) {
        return new RoutePaths(Arrays.stream(patterns).map(PathPatternParser.defaultInstance::parse).toList());
    }

    @Override
    public boolean test(HttpServletRequest request) {
        if (ServletRequestPathUtils.hasParsedRequestPath(request)) {
            return matches(ServletRequestPathUtils.getParsedRequestPath(request));
        }
        // parsed here, before the DispatcherServlet parses it again: leave the request as it came
        try {
            return matches(ServletRequestPathUtils.parseAndCache(request));
        } finally {
            ServletRequestPathUtils.clearParsedRequestPath(request);
        }
    }

    private boolean matches(RequestPath path) {
        return patterns.stream().anyMatch(p -> p.matches(path.pathWithinApplication()));
    }
}
