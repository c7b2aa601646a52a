package io.siplane.registrar.sip;

/** A REGISTER we cannot make sense of: answered with {@link #status()} and the message as reason phrase. */
class InvalidRegisterException extends Exception {

    private final int status;

    InvalidRegisterException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
