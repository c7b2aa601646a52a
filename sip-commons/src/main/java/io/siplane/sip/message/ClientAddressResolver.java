package io.siplane.sip.message;

import java.util.List;
import java.util.stream.Stream;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import io.siplane.sip.Transport;
import io.siplane.sip.net.Cidr;

/**
 * The client's real transport address. Normally the packet's source; when the packet comes from a trusted edge (the
 * gateway, {@code sip.trusted-edges}), the client is the sender of the Via just below the edge's, where the edge
 * wrote what it saw in {@code received}/{@code rport} (RFC 3581; the gateway always replaces a {@code received} the
 * client wrote, {@link Vias#applyReceived}). A client that sends straight to a service is not a trusted edge, so
 * whatever Vias it forges, its own source address counts.
 */
public final class ClientAddressResolver {

    private static final int SIP_PORT = 5060;
    private static final int SIPS_PORT = 5061;

    private final List<String> entries;
    private final List<Cidr> trustedEdges;

    /** @param trustedEdges addresses or CIDR blocks; an entry that is not one fails here (at start-up) */
    public ClientAddressResolver(List<String> trustedEdges) {
        this.entries = trustedEdges.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        this.trustedEdges = entries.stream().map(Cidr::parse).toList();
    }

    /** A resolver that trusts these edges too (a service's older, own property for the same list). */
    public ClientAddressResolver alsoTrusting(List<String> moreEdges) {
        return new ClientAddressResolver(Stream.concat(entries.stream(), moreEdges.stream()).toList());
    }

    public boolean isTrustedEdge(String address) {
        return trustedEdges.stream().anyMatch(edge -> edge.contains(address));
    }

    /** Where {@code request}, received from {@code source}, really comes from. */
    public SourceAddress clientOf(Request request, SourceAddress source) {
        if (!isTrustedEdge(source.address())) {
            return source;
        }
        List<ViaHeader> vias = SipHeaders.all(request, ViaHeader.NAME, ViaHeader.class);
        if (vias.size() < 2) {
            // the edge's own request (a keep-alive OPTIONS): the edge is the client
            return source;
        }
        ViaHeader client = vias.get(1);
        String host = client.getReceived() != null ? client.getReceived() : client.getHost();
        if (host == null || host.isBlank()) {
            return source;
        }
        Transport transport = Transport.fromToken(client.getTransport()).orElse(source.transport());
        int port = client.getRPort() > 0 ? client.getRPort()
                : client.getPort() > 0 ? client.getPort() : transport == Transport.TLS ? SIPS_PORT : SIP_PORT;
        return new SourceAddress(transport, host, port);
    }
}
