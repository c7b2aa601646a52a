package io.siplane.locationservice.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A failure the API reports to the client as it is: status and a detail meant for people. */
public final class ApiProblem extends ErrorResponseException {

    private ApiProblem(HttpStatus status, String detail) {
        super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail);
    }

    /** Adds a member to the problem body (RFC 9457 §3.2 extension). */
    public ApiProblem with(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }
}
