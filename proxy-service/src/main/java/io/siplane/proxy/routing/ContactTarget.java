package io.siplane.proxy.routing;

import java.util.List;
import java.util.Optional;

import io.siplane.sip.transport.NextHop;

/**
 * One contact a request is forked to (RFC 3261 §16.5): the new Request-URI, its preference, the Route set that must
 * precede it (a binding's Path, RFC 3327 §5.3), and, for a user agent behind NAT, the flow it registered from.
 *
 * @param uri    the Request-URI of the branch (a contact)
 * @param q      preference, 0..1 (a contact without q counts as 1.0)
 * @param routes Route values to put on top, in order
 * @param flow   a next hop that overrides the Route/Request-URI rules of RFC 3261 §16.6 step 7
 */
public record ContactTarget(String uri, double q, List<String> routes, Optional<NextHop> flow) {

    public ContactTarget {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("target URI is required");
        }
        routes = routes == null ? List.of() : List.copyOf(routes);
        flow = flow == null ? Optional.empty() : flow;
    }

    /** A target that is just a URI (a foreign domain when relaying is allowed). */
    public static ContactTarget of(String uri) {
        return new ContactTarget(uri, 1.0, List.of(), Optional.empty());
    }
}
