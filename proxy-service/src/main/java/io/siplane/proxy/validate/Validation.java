package io.siplane.proxy.validate;

/** The outcome of request validation (RFC 3261 §16.3). */
public sealed interface Validation {

    /** Fit to be forwarded; the loop hash goes into every branch id written for it. */
    record Valid(String loopHash) implements Validation {
    }

    record Invalid(Rejection rejection) implements Validation {
    }
}
