package io.siplane.proxy.sip.relay;

/** A request copy that cannot be sent: bad target URI, a transport we do not serve, or the stack refused it. */
public class Unroutable extends Exception {

    public Unroutable(String message) {
        super(message);
    }

    public Unroutable(String message, Throwable cause) {
        super(message, cause);
    }
}
