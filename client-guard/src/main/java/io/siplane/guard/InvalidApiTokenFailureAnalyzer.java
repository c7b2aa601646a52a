package io.siplane.guard;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing or weak API token into a start-up message that says what to do (registered in spring.factories). */
class InvalidApiTokenFailureAnalyzer extends AbstractFailureAnalyzer<InvalidApiTokenException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidApiTokenException cause) {
        return new FailureAnalysis(
                cause.getMessage() + ": the REST API accepts no anonymous requests, so this service does not start without a token.",
                "Set the environment variable PLATFORM_API_TOKEN to a random secret of at least " + ApiToken.MIN_LENGTH
                        + " characters without spaces, for example the output of `openssl rand -hex 32`.",
                cause);
    }
}
