package io.siplane.locationservice.web;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import io.siplane.guard.ProblemWriter;

/**
 * Replaces Boot's error page: whatever ends in the container's error dispatch (an error raised
 * outside Spring MVC's handlers) is answered with problem+json too, never HTML or a stack trace.
 */
@Controller
class ProblemErrorController implements ErrorController {

    private final ProblemWriter problems;

    ProblemErrorController(ProblemWriter problems) {
        this.problems = problems;
    }

    @RequestMapping("${spring.web.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null
                ? HttpStatus.resolve(c) : HttpStatus.NOT_FOUND;
        String detail = status.is5xxServerError()
                ? "The request could not be completed because of an internal error."
                : "The request could not be processed: " + status.getReasonPhrase() + ".";
        problems.write(request, response, status, detail, Map.of());
    }
}
