package io.siplane.sip.message;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which peers may tell a service who the client is (prefix {@code sip}).
 *
 * @param trustedEdges addresses or CIDR blocks of SIP edges (the gateway) in front of this service
 *                     ({@code SIP_TRUSTED_EDGES}, comma list): for requests from them, the client's address is the
 *                     one the edge wrote in the Via below its own (received/rport), and the digest lockout counts
 *                     that address, not the edge's. Empty: every packet's source is the client. List only addresses
 *                     that nothing but an edge can send from (the gateway's; on Kubernetes the pod network, when the
 *                     service's SIP port is reachable only from inside the cluster)
 */
@ConfigurationProperties("sip")
public record TrustedEdgeProperties(List<String> trustedEdges) {

    public TrustedEdgeProperties {
        trustedEdges = trustedEdges == null ? List.of() : trustedEdges.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        new ClientAddressResolver(trustedEdges); // fail at start-up on a malformed entry
    }
}
