package io.siplane.proxy.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.siplane.location.AddressOfRecord;

/**
 * What this proxy is responsible for (RFC 3261 §16.4, §16.5): its domains, and the addresses that name the proxy
 * itself (advertised and bind address on its SIP port, plus configured aliases).
 *
 * <p>A Request-URI in one of the domains is looked up as is (a port in it is ignored: {@code sip:bob@example.com:5080}
 * is still bob of example.com). A Request-URI naming the proxy's own address ({@code sip:bob@10.0.0.5:5080}, what a
 * user agent dials when it only knows the proxy) is taken as the user of the first domain.
 */
public final class LocalDomains {

    private final List<String> domains;
    private final Set<String> ownHosts;
    private final Set<Integer> ownPorts;
    private final Set<HostPort> aliases;

    /**
     * @param domains  the domains, first is the default
     * @param ownHosts this proxy's addresses and names (any of them with one of {@code ownPorts} is this proxy)
     * @param ownPorts the SIP ports this proxy is reached on
     * @param aliases  further {@code host} (on our ports) or {@code host:port} names of this proxy
     */
    public LocalDomains(List<String> domains, Set<String> ownHosts, Set<Integer> ownPorts, List<String> aliases) {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("at least one domain is required");
        }
        this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        this.ownHosts = Set.copyOf(ownHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.ownPorts = Set.copyOf(ownPorts);
        this.aliases = Set.copyOf(aliases.stream().map(HostPort::parse).toList());
    }

    public String defaultDomain() {
        return domains.get(0);
    }

    public List<String> domains() {
        return domains;
    }

    public boolean isDomain(String host) {
        return host != null && domains.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code host:port} (port -1 meaning 5060) reaches this very proxy. */
    public boolean isOwnAddress(String host, int port) {
        if (host == null) {
            return false;
        }
        HostPort hp = new HostPort(host, port);
        int effective = hp.portOr5060();
        if (ownHosts.contains(hp.host()) && ownPorts.contains(effective)) {
            return true;
        }
        return aliases.stream().anyMatch(a -> a.host().equals(hp.host())
                && (a.port() == HostPort.NO_PORT ? ownPorts.contains(effective) : a.port() == effective));
    }

    /** A domain of ours or this proxy's own address: target resolution happens here (RFC 3261 §16.5). */
    public boolean isLocal(String host, int port) {
        return isDomain(host) || isOwnAddress(host, port);
    }

    /**
     * The address-of-record a local Request-URI stands for; empty for a foreign host or a URI without user part.
     *
     * @throws IllegalArgumentException when the user part is not valid in an AOR
     */
    public Optional<AddressOfRecord> addressOfRecord(String scheme, String user, String host, int port) {
        if (user == null || user.isEmpty()) {
            return Optional.empty();
        }
        if (isDomain(host)) {
            return Optional.of(AddressOfRecord.parse(scheme + ":" + user + "@" + host.toLowerCase(Locale.ROOT)));
        }
        if (isOwnAddress(host, port)) {
            return Optional.of(AddressOfRecord.parse(scheme + ":" + user + "@" + defaultDomain()));
        }
        return Optional.empty();
    }
}
