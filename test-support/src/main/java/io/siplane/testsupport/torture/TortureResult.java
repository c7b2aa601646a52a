package io.siplane.testsupport.torture;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a server did with one torture message over one transport, and the verdict on it. */
public record TortureResult(TortureMessage message, String transport, RawSipClient.Exchange exchange, Verdict verdict) {

    /** The status of the first final response, if one came. */
    public Optional<Integer> finalStatus() {
        return exchange.received().stream().filter(SipPacket::isFinalResponse).findFirst().flatMap(SipPacket::status);
    }

    public boolean relayed() {
        return exchange.received().stream().anyMatch(SipPacket::isRequest);
    }

    /** One word for reports: the final status, {@code relayed}, or {@code dropped}. */
    public String outcome() {
        if (finalStatus().isPresent()) {
            return String.valueOf(finalStatus().get());
        }
        return relayed() ? "relayed" : "dropped";
    }

    public String describe() {
        List<SipPacket> received = exchange.received();
        return message.name() + " over " + transport + ": " + verdict.reason() + " [received: "
                + (received.isEmpty() ? "nothing" : received.stream().map(SipPacket::startLine).collect(Collectors.joining(" | ")))
                + (exchange.closedByServer() ? "; connection closed by the server" : "") + "]";
    }
}
