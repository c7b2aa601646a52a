package io.siplane.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import javax.sip.header.ServerHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.siplane.sip.autoconfigure.SipAutoConfiguration;
import io.siplane.sip.pipeline.SipRequestHandler;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

class SipEndpointTest {

    @Configuration(proxyBeanMethods = false)
    static class OptionsResponder {
        @Bean
        SipRequestHandler options() {
            return new SipRequestHandler() {
                @Override
                public Set<String> methods() {
                    return Set.of(Request.OPTIONS);
                }

                @Override
                public void handle(io.siplane.sip.pipeline.IncomingRequest request) throws Exception {
                    request.respond(Response.OK);
                }
            };
        }
    }

    private final int port = SipPorts.freeUdpAndTcpPort();

    /** {@code sip.engine}: the RI here, Netty in {@link NettySipEndpointTest}. */
    protected String engine() {
        return SipProperties.JAIN_SIP;
    }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SipAutoConfiguration.class))
                .withUserConfiguration(OptionsResponder.class)
                .withPropertyValues("sip.bind-address=127.0.0.1", "sip.port=" + port, "sip.engine=" + engine());
    }

    @Test
    void answersOverUdpAndTcpWithToTagServerHeaderAndRport() {
        runner().run(context -> {
            for (TestUserAgent ua : new TestUserAgent[] {TestUserAgent.udp(), TestUserAgent.tcp()}) {
                try (ua) {
                    Response response = ua.sendingTo(port).request(Request.OPTIONS, "sip:127.0.0.1:" + port).send();

                    assertThat(response.getStatusCode()).isEqualTo(200);
                    assertThat(((ToHeader) response.getHeader(ToHeader.NAME)).getTag()).isNotBlank();
                    assertThat(response.getHeader(ServerHeader.NAME).toString()).contains("Siplane");
                    ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
                    assertThat(via.getRPort()).as("RFC 3581 rport over " + ua.transport()).isGreaterThan(0);
                    assertThat(via.getReceived()).isEqualTo("127.0.0.1");
                }
            }
        });
    }

    @Test
    void stopLeavesNoStackThreadBehind() {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        runner().run(context -> {
            try (TestUserAgent ua = TestUserAgent.tcp()) {
                assertThat(ua.sendingTo(port).request(Request.OPTIONS, "sip:127.0.0.1:" + port).send().getStatusCode()).isEqualTo(200);
            }
            assertThat(context.getBean(SipListeningEndpoint.class).isRunning()).isTrue();
            assertThat(context.getBean(SipListeningEndpoint.class).isListening()).isTrue();
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<Thread> left = new HashSet<>(Thread.getAllStackTraces().keySet());
            left.removeAll(before);
            left.removeIf(t -> !t.isAlive() || t.getName().startsWith("ForkJoinPool") || t.getName().startsWith("awaitility"));
            assertThat(left).extracting(Thread::getName).isEmpty();
        });
    }

    @Test
    void wildcardBindAddressWithoutAdvertisedAddressFailsStartupWithAClearMessage() {
        runner().withPropertyValues("sip.bind-address=0.0.0.0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("sip.advertised-address (SIP_ADVERTISED_ADDRESS)");
        });
    }

    @Test
    void portOutOfRangeFailsStartup() {
        runner().withPropertyValues("sip.port=70000").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("sip.port");
        });
    }

    @Test
    void twoEndpointsInOneJvmGetDistinctStacks() {
        int other = SipPorts.freeUdpAndTcpPort();
        runner().run(first -> new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SipAutoConfiguration.class))
                .withUserConfiguration(OptionsResponder.class)
                .withPropertyValues("sip.bind-address=127.0.0.1", "sip.port=" + other, "sip.engine=" + engine())
                .run(second -> {
                    try (TestUserAgent ua = TestUserAgent.udp()) {
                        assertThat(ua.sendingTo(port).request(Request.OPTIONS, "sip:127.0.0.1").send().getStatusCode()).isEqualTo(200);
                        assertThat(ua.sendingTo(other).request(Request.OPTIONS, "sip:127.0.0.1").send().getStatusCode()).isEqualTo(200);
                    }
                }));
    }
}
