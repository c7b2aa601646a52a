package io.siplane.proxy.routing;

/**
 * The parts of a SIP URI routing decisions look at, taken from the parsed URI by the SIP adapter.
 *
 * @param scheme {@code sip} or {@code sips}
 * @param user   the user part, {@code null} when there is none
 * @param host   the host as written
 * @param port   the port, -1 when none is given
 * @param text   the whole URI as text
 */
public record SipUriParts(String scheme, String user, String host, int port, String text) {
}
