package io.siplane.sip.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import javax.sip.message.Request;

import org.junit.jupiter.api.Test;

import io.siplane.sip.SipProperties;
import io.siplane.sip.netty.NettySender;
import io.siplane.sip.netty.NettySipEndpoint;
import io.siplane.sip.shutdown.SipDrain;

/** {@link SipRequestDispatcherTest} with the Netty engine in front of the dispatcher. */
class NettySipRequestDispatcherTest extends SipRequestDispatcherTest {

    @Override
    Runnable startEndpoint(SipRequestDispatcher dispatcher) {
        SipProperties properties = SipProperties.of("127.0.0.1", PORT).withEngine(SipProperties.NETTY);
        NettySipEndpoint endpoint = new NettySipEndpoint(properties, dispatcher, SipDrain.none(), new NettySender());
        endpoint.start();
        return endpoint::stop;
    }

    /**
     * The Netty engine keeps no transactions: a handler that asks for a server transaction gets an exception, which
     * the dispatcher answers 500 (a stateful service stays on the RI).
     */
    @Override
    @Test
    void handlerMayAnswerThroughAServerTransaction() {
        Request info = ua().request(Request.INFO, "sip:bob@127.0.0.1").build();
        assertThat(ua().sendStatelessUntilAnswered(info, Duration.ofSeconds(20)).getStatusCode()).isEqualTo(500);
    }
}
