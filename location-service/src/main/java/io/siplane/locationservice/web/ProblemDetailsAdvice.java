package io.siplane.locationservice.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.siplane.location.LocationUnavailableException;
import io.siplane.locationservice.ApiProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error of the API as RFC 9457 problem details. Spring MVC's own exceptions (404 for an
 * unknown path, 405, 406, 415, a wrong parameter type…) are handled by the base class; this adds
 * the body-size limit, precise messages for unreadable JSON, the store being down, and a catch-all
 * that logs the stack trace and never sends it.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** During an outage every request fails the same way: one warning per this interval, the rest at debug. */
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final ApiProperties properties;
    private final AtomicLong lastUnavailableWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    ProblemDetailsAdvice(ApiProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(LocationUnavailableException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(LocationUnavailableException e) {
        long now = System.nanoTime();
        long last = lastUnavailableWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastUnavailableWarning.compareAndSet(last, now)) {
            log.warn("Answering 503: location store unavailable ({})", e.getMessage());
        } else {
            log.debug("Answering 503: location store unavailable ({})", e.getMessage());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The location store is unavailable. Retry later.");
        long seconds = Math.max(1, (properties.retryAfter().toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(problem);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException e) {
        return tooLarge(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error while handling a request", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be completed because of an internal error."));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = causeOfType(e, BodyTooLargeException.class);
        if (tooLarge != null) {
            return new ResponseEntity<>(tooLarge(tooLarge).getBody(), closeConnection(), HttpStatus.CONTENT_TOO_LARGE);
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadableBody(e));
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** Says what is wrong without quoting the body: it may hold a password. */
    private static String unreadableBody(HttpMessageNotReadableException e) {
        MismatchedInputException mismatch = causeOfType(e, MismatchedInputException.class);
        if (mismatch != null && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "The field '" + field + "' has the wrong type or shape.";
        }
        if (mismatch != null) {
            return "The request body must be a JSON object.";
        }
        if (causeOfType(e, StreamReadException.class) != null) {
            return "The request body is not valid JSON.";
        }
        if (causeOfType(e, JacksonException.class) != null) {
            return "The request body could not be read as the expected JSON object.";
        }
        return "The request body is missing or unreadable.";
    }

    private ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e) {
        return new ResponseEntity<>(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                RequestBodyLimitFilter.tooLarge(e.limit())), closeConnection(), HttpStatus.CONTENT_TOO_LARGE);
    }

    /** The rest of an oversized body is not read, so the connection cannot carry another request. */
    private static HttpHeaders closeConnection() {
        HttpHeaders headers = new HttpHeaders();
        headers.setConnection("close");
        return headers;
    }

    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
