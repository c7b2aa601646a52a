package io.siplane.gateway.http;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Requires {@code Authorization: Bearer <PLATFORM_API_TOKEN>} before anything reaches location-service (which checks
 * it again: the header is passed on). Compared in constant time over digests ({@link ApiToken}). Anything else gets
 * 401 problem+json with {@code WWW-Authenticate: Bearer} (RFC 6750 §3).
 */
final class BearerTokenFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final String PREFIX = "Bearer ";
    private final ApiToken token;

    BearerTokenFilter(String token) {
        this.token = new ApiToken(token);
    }

    @Override
    public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && token.matches(header.substring(PREFIX.length()).strip())) {
            return next.handle(request);
        }
        return Problems.response(HttpStatus.UNAUTHORIZED, "Unauthorized", "a valid bearer token is required",
                request.path(), builder -> builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }
}
