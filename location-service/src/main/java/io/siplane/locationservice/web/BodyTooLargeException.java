package io.siplane.locationservice.web;

import java.io.IOException;

/** Thrown while reading a request body that goes past the configured maximum. */
public class BodyTooLargeException extends IOException {
    private final long limit;

    public BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
