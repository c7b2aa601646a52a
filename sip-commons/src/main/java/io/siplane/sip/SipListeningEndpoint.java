package io.siplane.sip;

import java.text.ParseException;
import java.util.List;

import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;

/**
 * What every SIP engine's endpoint shows the rest of a service (health, metrics, Via and Path building), whichever
 * carries the messages: the JAIN-SIP RI ({@link SipEndpoint}) or Netty ({@code io.siplane.sip.netty.NettySipEndpoint}).
 */
public interface SipListeningEndpoint {

    boolean isRunning();

    /** Whether every listening socket still reads (health turns DOWN otherwise, so the service gets restarted). */
    boolean isListening();

    /** Whether the endpoint is draining before it stops. */
    boolean isDraining();

    /** The transports listened on; empty when stopped. */
    List<Transport> transports();

    SipProperties properties();

    /** UDP datagrams this endpoint dropped since start (see each engine for which). */
    long droppedUdpMessages();

    /**
     * This element's URI for Path and Record-Route: {@code sip:advertised:port;transport=…;lr} (RFC 3261 §16.6
     * step 4, RFC 3327 §5.2).
     */
    default SipURI advertisedUri(Transport transport) {
        return advertisedUri(properties(), transport);
    }

    /** A Via for a request this element sends over {@code transport}, with {@code rport} (RFC 3581 §3). */
    default ViaHeader newVia(Transport transport, String branch) {
        return newVia(properties(), transport, branch);
    }

    /** {@link #advertisedUri(Transport)} for {@code properties}. */
    static SipURI advertisedUri(SipProperties properties, Transport transport) {
        try {
            SipURI uri = SipFactories.get().addresses().createSipURI(null, properties.advertisedHost());
            uri.setPort(properties.advertisedPort(transport));
            uri.setTransportParam(transport.token());
            uri.setLrParam();
            return uri;
        } catch (ParseException e) {
            throw new IllegalStateException("advertised address is not a valid host: " + properties.advertisedHost(), e);
        }
    }

    /** {@link #newVia(Transport, String)} for {@code properties}. */
    static ViaHeader newVia(SipProperties properties, Transport transport, String branch) {
        try {
            ViaHeader via = SipFactories.get().headers().createViaHeader(properties.advertisedHost(),
                    properties.advertisedPort(transport), transport.token(), branch);
            via.setRPort();
            return via;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build a Via for " + properties.advertisedHost(), e);
        }
    }
}
