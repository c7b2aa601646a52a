package io.siplane.locationservice.subscriber;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/subscribers}. The password is a char array so it can be wiped
 * once hashed; it is never shown by {@link #toString()}, and validation messages never quote it.
 */
@Schema(name = "NewSubscriber")
record NewSubscriber(
        @Schema(example = "alice", minLength = 1, maxLength = MAX_USERNAME, pattern = USERNAME_PATTERN) String username,
        @Schema(example = "example.com", maxLength = MAX_DOMAIN) String domain,
        @Schema(type = "string", format = "password", minLength = MIN_PASSWORD, maxLength = MAX_PASSWORD,
                accessMode = Schema.AccessMode.WRITE_ONLY) char[] password) {

    static final int MAX_USERNAME = 64;
    static final int MAX_DOMAIN = 253;
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;

    // RFC 3261 §25.1 user: unreserved and user-unreserved characters, less ';', '?' and '/',
    // which would make the subscriber's URL path ambiguous
    static final String USERNAME_PATTERN = "^[A-Za-z0-9\\-_.!~*'()&=+$,]+$";
    private static final Pattern USERNAME = Pattern.compile(USERNAME_PATTERN);
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile("^" + LABEL + "(\\." + LABEL + ")*$");

    /** Field → what is wrong with it; empty when the request is acceptable. */
    List<Map<String, String>> problems() {
        List<Map<String, String>> problems = new ArrayList<>();
        if (username == null || username.isEmpty()) {
            problems.add(problem("username", "is required"));
        } else if (username.length() > MAX_USERNAME) {
            problems.add(problem("username", "must be at most " + MAX_USERNAME + " characters"));
        } else if (!USERNAME.matcher(username).matches()) {
            problems.add(problem("username", "may contain only letters, digits and -_.!~*'()&=+$,"));
        }
        if (domain == null || domain.isEmpty()) {
            problems.add(problem("domain", "is required"));
        } else if (domain.length() > MAX_DOMAIN || !DOMAIN.matcher(domain).matches()) {
            problems.add(problem("domain", "must be a host name such as example.com"));
        }
        if (password == null) {
            problems.add(problem("password", "is required"));
        } else if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
            problems.add(problem("password", "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters long"));
        }
        return problems;
    }

    private static Map<String, String> problem(String field, String message) {
        return Map.of("field", field, "message", message);
    }

    @Override
    public String toString() {
        return "NewSubscriber[" + username + "@" + domain + "]";
    }
}
