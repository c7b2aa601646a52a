package io.siplane.sip.transport;

import java.util.Set;

import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.sip.Transport;

/**
 * Sends SIP messages statelessly (RFC 3261 §16.11, §18). It exists before the request handlers that use it and
 * before the endpoint that listens (the endpoint attaches its sockets when it starts), so no handler needs a lazy
 * reference to the endpoint.
 *
 * <p>Two engines implement it: the Netty transport (gateway, registrar, redirect) and the JAIN-SIP RI's providers
 * (the proxy, which is transaction-stateful). Sending before the endpoint started, or over a transport it does not
 * listen on, throws {@link SipException}.
 */
public interface SipSender {

    /** Sends {@code request} to {@code hop} over the hop's transport (over TCP/TLS, reusing a connection to it). */
    void sendRequest(Request request, NextHop hop) throws SipException;

    /**
     * Sends {@code response} along its top Via (RFC 3261 §18.2.2, RFC 3581 §4): to {@code received}/{@code rport}
     * when present; over TCP/TLS on the connection the request came in on when it is still open.
     */
    void sendResponse(Response response) throws SipException;

    /** The transports this sender can send over (those the endpoint listens on), empty before start. */
    Set<Transport> transports();

    /** Whether {@code transport} can be sent over now. */
    default boolean offers(Transport transport) {
        return transports().contains(transport);
    }
}
