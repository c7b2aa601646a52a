package io.siplane.gateway.sip;

import io.siplane.gateway.membership.TargetPool;
import io.siplane.gateway.routing.Flow;
import io.siplane.sip.transport.NextHop;

/** Where a request goes, as {@link DestinationRules} decided. */
sealed interface Destination {

    /** A user agent's flow, named by a flow token in our Route entry (RFC 5626 §5.3). */
    record ToFlow(Flow flow) implements Destination {
    }

    /** A Route or Request-URI that may be followed: a replica's, or one towards a replica. */
    record ToHop(NextHop hop) implements Destination {
    }

    /** A replica of {@code pool}, by Call-ID; {@code newTransaction} false for CANCEL and ACK (a draining replica still takes them). */
    record ToPool(TargetPool pool, boolean newTransaction) implements Destination {
    }

    /** Answered by the gateway itself with {@code status} (an OPTIONS addressed to it). */
    record Local(int status) implements Destination {
    }

    /** Refused with 403: the request would use the gateway as a relay to somewhere that is not ours. */
    record Denied(String why) implements Destination {
    }

    /** A Route or Request-URI the gateway cannot send to (a transport it does not speak): 404. */
    record Unreachable(String why) implements Destination {
    }
}
