package io.siplane.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.siplane.sip.Transport;

class FlowTokensTest {

    final FlowTokens tokens = new FlowTokens("a-secret-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8));

    @Test
    void aFlowSurvivesTheRoundTripForIpv4AndIpv6() {
        Flow v4 = new Flow(Transport.TCP, "192.0.2.10", 50123);
        Flow v6 = new Flow(Transport.UDP, "2001:db8:0:0:0:0:0:1", 5060);
        assertThat(tokens.decode(tokens.encode(v4))).contains(v4);
        assertThat(tokens.decode(tokens.encode(v6))).contains(v6);
    }

    @Test
    void theTokenIsAValidSipUserPart() {
        assertThat(tokens.encode(new Flow(Transport.TCP, "192.0.2.10", 65535))).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void anAlteredOrForeignTokenIsRefused() {
        String token = tokens.encode(new Flow(Transport.TCP, "192.0.2.10", 50123));
        char last = token.charAt(token.length() - 1);
        String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(tokens.decode(altered)).isEmpty();
        FlowTokens other = new FlowTokens("another-secret-0123456789".getBytes(StandardCharsets.UTF_8));
        assertThat(other.decode(token)).isEmpty();
        assertThat(tokens.decode("bob")).isEmpty();
        assertThat(tokens.decode("a.b.c")).isEmpty();
        assertThat(tokens.decode("!!!.???")).isEmpty();
    }
}
