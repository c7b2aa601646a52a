package io.siplane.sip.transport;

import java.util.Map;
import java.util.Set;

import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.sip.Transport;

/**
 * {@link SipSender} over the JAIN-SIP RI's providers: the {@code SipEndpoint} attaches them when it starts and
 * detaches them when it stops. Requests go to their {@link NextHop} through {@link HopRouter}.
 */
public final class ProviderSender implements SipSender {

    private volatile Map<Transport, SipProvider> providers = Map.of();

    /** Called by the endpoint once its providers listen. */
    public void attach(Map<Transport, SipProvider> started) {
        this.providers = Map.copyOf(started);
    }

    public void detach() {
        this.providers = Map.of();
    }

    /** The provider of {@code transport}: for the transaction-stateful proxy, which creates client transactions. */
    public SipProvider provider(Transport transport) throws SipException {
        SipProvider provider = providers.get(transport);
        if (provider == null) {
            throw new SipException("not listening on " + transport.token() + " (endpoint stopped or transport not configured)");
        }
        return provider;
    }

    @Override
    public void sendRequest(Request request, NextHop hop) throws SipException {
        HopRouter.sendTo(request, hop);
        provider(hop.transport()).sendRequest(request);
    }

    @Override
    public void sendResponse(Response response) throws SipException {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null) {
            throw new SipException("a response without Via cannot be sent");
        }
        Transport transport = Transport.fromToken(top.getTransport())
                .orElseThrow(() -> new SipException("unknown Via transport " + top.getTransport()));
        provider(transport).sendResponse(response);
    }

    @Override
    public Set<Transport> transports() {
        return providers.keySet();
    }
}
