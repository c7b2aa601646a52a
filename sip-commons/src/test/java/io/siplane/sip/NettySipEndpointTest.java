package io.siplane.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.siplane.sip.netty.NettySender;
import io.siplane.sip.netty.NettySipEndpoint;
import io.siplane.sip.transport.ProviderSender;
import io.siplane.sip.transport.SipSender;

/** {@link SipEndpointTest} against the Netty engine: the same behaviour over UDP and TCP, the same clean stop. */
class NettySipEndpointTest extends SipEndpointTest {

    @Override
    protected String engine() {
        return SipProperties.NETTY;
    }

    @Test
    void theNettyEngineReplacesTheRiBeansAndGivesHandlersItsSender() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(NettySipEndpoint.class).doesNotHaveBean(SipEndpoint.class)
                    .doesNotHaveBean(ProviderSender.class);
            assertThat(context.getBean(SipSender.class)).isInstanceOf(NettySender.class);
            assertThat(context.getBean(SipSender.class).transports()).containsExactlyInAnyOrder(Transport.UDP, Transport.TCP);
        });
    }

    @Test
    void anUnknownEngineFailsStartupNamingTheSetting() {
        runner().withPropertyValues("sip.engine=grizzly").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("sip.engine must be jain-sip or netty");
        });
    }
}
