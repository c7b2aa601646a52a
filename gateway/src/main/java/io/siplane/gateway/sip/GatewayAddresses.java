package io.siplane.gateway.sip;

import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;

import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.Transport;

/**
 * The names of this gateway: the advertised (outside) address that user agents reach, the internal address that the
 * replicas reach (Path, inner Record-Route), and aliases. A URI is "ours" when its host is one of them and its port
 * is our SIP port.
 */
public final class GatewayAddresses {

    private final AddressFactory addresses;
    private final String external;
    private final String internal;
    private final int port;
    private final Set<String> hosts;
    private final Set<Integer> ports;

    /** The names of this gateway from its SIP settings, its internal address (empty: the advertised one) and aliases. */
    public static GatewayAddresses of(SipProperties sip, String internalAddress, List<String> aliases) {
        return new GatewayAddresses(SipFactories.get().addresses(), sip, internalAddress, aliases);
    }

    GatewayAddresses(AddressFactory addresses, SipProperties sip, String internalAddress, List<String> aliases) {
        this.addresses = addresses;
        this.external = sip.advertisedHost();
        this.internal = internalAddress.isEmpty() ? external : internalAddress;
        this.port = sip.effectiveAdvertisedPort();
        Set<String> h = new LinkedHashSet<>();
        Set<Integer> p = new LinkedHashSet<>(List.of(port, sip.port()));
        h.add(normalise(external));
        h.add(normalise(internal));
        h.add(normalise(sip.bindAddress()));
        for (String alias : aliases) {
            int colon = alias.lastIndexOf(':');
            if (colon > 0 && alias.indexOf(':') == colon) {
                h.add(normalise(alias.substring(0, colon)));
                p.add(Integer.parseInt(alias.substring(colon + 1)));
            } else {
                h.add(normalise(alias));
            }
        }
        this.hosts = Set.copyOf(h);
        this.ports = Set.copyOf(p);
    }

    public String external() {
        return external;
    }

    public String internal() {
        return internal;
    }

    public int port() {
        return port;
    }

    /** Whether {@code uri} addresses this gateway (host and port), whatever its user part. */
    public boolean isOurs(URI uri) {
        if (!(uri instanceof SipURI sip)) {
            return false;
        }
        return isOurs(sip.getHost(), sip.getPort());
    }

    /** Whether a Via sent-by (host, port; -1 for none) is this gateway. */
    public boolean isOurs(String host, int viaPort) {
        return hosts.contains(normalise(host)) && ports.contains(viaPort > 0 ? viaPort : 5060);
    }

    /** {@code sip:[user@]host:port;transport=t;lr}: for Path and Record-Route. */
    public SipURI uri(String host, String user, Transport transport) {
        try {
            SipURI uri = addresses.createSipURI(user, host);
            uri.setPort(port);
            uri.setTransportParam(transport.token());
            uri.setLrParam();
            return uri;
        } catch (ParseException e) {
            throw new IllegalStateException("gateway address is not a valid host: " + host, e);
        }
    }

    private static String normalise(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
