package io.siplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.siplane.testsupport.torture.HostRewriter;
import io.siplane.testsupport.torture.RawSipClient;
import io.siplane.testsupport.torture.SipPacket;
import io.siplane.testsupport.torture.SipServiceUnderTest;
import io.siplane.testsupport.torture.TortureMessages;

/**
 * RFC 4475 §3.1.1.8 over TCP: the REGISTER and the INVITE of {@code dblreq} arrive in one TCP write, and both are
 * answered on the connection they came in on (the REGISTER by the registrar replica, the INVITE by a proxy replica).
 */
class DoubleRequestOverTcpTest {

    private static final int ROUNDS = 10;

    @Test
    void twoRequestsInOneTcpWriteAreBothAnsweredOverThatConnection() {
        SipServiceUnderTest gateway = BadInputGateway.shared();
        RawSipClient client = gateway.client();
        byte[] dblreq = TortureMessages.named("dblreq").bytes();
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String branch = UUID.randomUUID().toString().substring(0, 8);
            RawSipClient.Exchange exchange = client.tcp(
                    port -> HostRewriter.rewrite(dblreq, gateway.domain(), "TCP", port, branch), Duration.ofSeconds(5),
                    received -> received.stream().filter(SipPacket::isFinalResponse).count() >= 2);
            List<String> answers = exchange.received().stream().filter(SipPacket::isFinalResponse)
                    .map(p -> p.header("CSeq").orElse("?") + " " + p.status().orElse(0)).sorted().toList();
            if (!answers.equals(List.of("8 INVITE 404", "8 REGISTER 200"))) {
                failures.add("round " + round + ": " + answers + (exchange.closedByServer() ? " (closed by the gateway)" : ""));
            }
        }
        assertThat(failures).as("rounds without both answers").isEmpty();
    }
}
