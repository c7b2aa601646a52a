package io.siplane.guard;

import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.filter.OncePerRequestFilter;

/** A guard that leaves some requests alone: those outside the route it guards, or public ones. */
abstract class ScopedFilter extends OncePerRequestFilter {

    private final Predicate<HttpServletRequest> exempt;

    ScopedFilter(Predicate<HttpServletRequest> exempt) {
        this.exempt = exempt;
    }

    @Override
    protected final boolean shouldNotFilter(HttpServletRequest request) {
        return exempt.test(request);
    }
}
