package io.siplane.gateway.http;

import java.net.URI;
import java.util.function.Consumer;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.ServerResponse;

/** RFC 9457 problem details written by the gateway itself. */
final class Problems {

    private Problems() {
    }

    static ServerResponse response(HttpStatus status, String title, String detail, String path,
            Consumer<ServerResponse.BodyBuilder> extra) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(path));
        ServerResponse.BodyBuilder builder = ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        extra.accept(builder);
        return builder.body(problem);
    }
}
