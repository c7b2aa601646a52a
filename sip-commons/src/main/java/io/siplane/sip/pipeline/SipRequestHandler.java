package io.siplane.sip.pipeline;

import java.util.Set;

/**
 * Handles the requests of some SIP methods. A service registers one bean per job (REGISTER for the registrar,
 * INVITE/MESSAGE/OPTIONS/… for the proxy); the {@link SipRequestDispatcher} routes each request to the handler
 * of its method, or to a handler that declares {@link #ANY_METHOD}.
 *
 * <p>A handler answers through {@link IncomingRequest#respond}: statelessly by default (registrar, redirect,
 * gateway), or after {@link IncomingRequest#serverTransaction()} statefully (proxy). It may return before the
 * final answer is sent (a proxy waits for its branches). If it throws before a final answer, the dispatcher
 * answers 500 for it; the exception never reaches the stack thread nor the wire.
 */
public interface SipRequestHandler {

    /** Declared in {@link #methods()} by a handler that takes every method no other handler claims. */
    String ANY_METHOD = "*";

    /** The methods handled, upper case as on the wire ({@code "REGISTER"}), or {@link #ANY_METHOD}. */
    Set<String> methods();

    void handle(IncomingRequest request) throws Exception;
}
