package io.siplane.locationservice.security;

/** The configured API token cannot be used; the service refuses to start. */
public class InvalidApiTokenException extends RuntimeException {
    public InvalidApiTokenException(String message) {
        super(message);
    }
}
