package io.siplane.location;

/**
 * The location store could not be reached in time (Redis down, timeout, or circuit open) and no
 * usable cached answer exists. Callers answer fast: SIP 500/503 with Retry-After, REST 503.
 */
public class LocationUnavailableException extends RuntimeException {
    public LocationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
