package io.siplane.sip.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.siplane.sip.RunningEndpoint;
import io.siplane.sip.netty.NettySipEndpoint;

/** {@link TcpConnectionGuardTest} against the Netty engine: the same limits, idle and message timeouts. */
class NettyTcpConnectionGuardTest extends TcpConnectionGuardTest {

    @Override
    RunningEndpoint startEndpoint() {
        return RunningEndpoint.startNetty(PORT, "OPTIONS", "sip.max-tcp-connections=10",
                "sip.stack-properties[io.siplane.sip.TCP_IDLE_TIMEOUT]=1500",
                "sip.stack-properties[io.siplane.sip.TCP_MESSAGE_TIMEOUT]=1000");
    }

    /** No thread per connection here: the endpoint's own count of open connections stays within the limit. */
    @Override
    void assertConnectionsWithinTheLimitOf10(int threadsBefore) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(endpoint.bean(NettySipEndpoint.class).connectionCount()).isLessThanOrEqualTo(10));
    }
}
