package io.siplane.guard;

/** The configured API token cannot be used; the service refuses to start. */
public class InvalidApiTokenException extends RuntimeException {
    public InvalidApiTokenException(String message) {
        super(message);
    }
}
