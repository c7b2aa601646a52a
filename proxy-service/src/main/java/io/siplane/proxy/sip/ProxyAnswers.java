package io.siplane.proxy.sip;

import java.text.ParseException;
import java.util.List;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.siplane.proxy.metrics.ProxyMetrics;
import io.siplane.proxy.routing.Resolution;
import io.siplane.sip.chain.RequestStep;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * The proxy's own answers (as opposed to the responses it forwards): each one counted, and sent through the server
 * transaction when there is one, statelessly before.
 */
public final class ProxyAnswers {

    private static final Logger log = LoggerFactory.getLogger(ProxyAnswers.class);

    /** The methods this proxy routes (the {@code Allow} of its OPTIONS and 405 answers). */
    public static final List<String> ROUTED = List.of("ACK", "BYE", "CANCEL", "INFO", "INVITE", "MESSAGE", "NOTIFY",
            "OPTIONS", "PRACK", "PUBLISH", "REFER", "SUBSCRIBE", "UPDATE");

    private final ProxyMetrics metrics;
    private final String serverName;
    private final int retryAfterSeconds;

    public ProxyAnswers(ProxyMetrics metrics, String serverName, int retryAfterSeconds) {
        this.metrics = metrics;
        this.serverName = serverName;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Sends a final answer of the proxy's own. */
    public void answer(IncomingRequest in, Response response) throws SipException {
        metrics.completed(in.method(), response.getStatusCode());
        in.respond(response);
        if (log.isDebugEnabled()) {
            log.debug("{} {} answered {}", in.method(), in.request().getRequestURI(), response.getStatusCode());
        }
    }

    /**
     * A check's rejection (RFC 3261 §16.3), sent statelessly and counted; an ACK is dropped instead: it is never
     * answered (RFC 3261 §17.1.1.3), and the ACK of our own stateless rejection arrives without our Route and ends here.
     */
    public void reject(IncomingRequest in, Response response) throws SipException {
        if (!Request.ACK.equals(in.method())) {
            answer(in, response);
        }
    }

    /** A stock step whose answer is sent and counted like ours, and whose rejection of an ACK is dropped ({@link #reject}). */
    public RequestStep counted(RequestStep check) {
        return in -> check.apply(new IncomingRequest(in.request(), in.source(), response -> reject(in, response),
                in.factories(), serverName));
    }

    /** What target resolution (RFC 3261 §16.5) found, as the SIP answer when it is not a list of targets. */
    public Response responseFor(IncomingRequest in, Resolution resolution) throws InvalidArgumentException {
        if (resolution instanceof Resolution.NotRegistered) {
            return in.response(Response.TEMPORARILY_UNAVAILABLE);
        }
        if (resolution instanceof Resolution.RelayDenied) {
            // no open relay: requests for domains that are not ours are refused
            return relayDenied(in);
        }
        if (resolution instanceof Resolution.StoreUnavailable) {
            return storeUnavailable(in);
        }
        return in.response(Response.NOT_FOUND);
    }

    public Response relayDenied(IncomingRequest in) {
        return in.response(Response.FORBIDDEN, "Relaying Denied");
    }

    /** 503 with Retry-After while the location store cannot answer (RFC 3261 §21.5.4). */
    public Response storeUnavailable(IncomingRequest in) throws InvalidArgumentException {
        Response response = in.response(Response.SERVICE_UNAVAILABLE);
        RetryAfterHeader retryAfter = in.factories().headers().createRetryAfterHeader(retryAfterSeconds);
        response.setHeader(retryAfter);
        return response;
    }

    /** 405 with the methods we route (RFC 3261 §21.4.6), e.g. a REGISTER sent to the proxy. */
    public Response methodNotAllowed(IncomingRequest in) throws ParseException {
        Response response = in.response(Response.METHOD_NOT_ALLOWED);
        for (String method : ROUTED) {
            response.addHeader(in.factories().headers().createAllowHeader(method));
        }
        return response;
    }
}
