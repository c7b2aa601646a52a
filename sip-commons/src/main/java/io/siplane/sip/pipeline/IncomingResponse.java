package io.siplane.sip.pipeline;

import javax.sip.message.Response;

import io.siplane.sip.message.SourceAddress;

/**
 * A response received for a request sent statelessly, whichever engine received it: the message and the packet's
 * real source (the peer that answered, for passive health).
 */
public record IncomingResponse(Response response, SourceAddress source) {
}
