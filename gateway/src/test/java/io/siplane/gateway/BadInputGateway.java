package io.siplane.gateway;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.sip.SipEndpoint;
import io.siplane.sip.SipFactories;
import io.siplane.sip.SipProperties;
import io.siplane.sip.pipeline.IncomingRequest;
import io.siplane.sip.pipeline.SipRequestDispatcher;
import io.siplane.sip.pipeline.SipRequestHandler;
import io.siplane.testsupport.app.SharedServices;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractTransportAbuseTest;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/**
 * The gateway for the bad-input tests: in front of a proxy and a registrar replica that answer every request at once
 * (200, or 404 for INVITE so that no call waits), so that whatever the gateway forwards comes back answered. The
 * shared one stops with the test JVM.
 */
final class BadInputGateway implements AutoCloseable {

    static final String DOMAIN = "torture.test";

    private final List<SipEndpoint> replicas = new ArrayList<>();
    private final RunningGateway gateway;

    BadInputGateway(String... extra) {
        int proxy = SipPorts.freeUdpAndTcpPort();
        int registrar = SipPorts.freeUdpAndTcpPort();
        replicas.add(replica(proxy));
        replicas.add(replica(registrar));
        List<String> props = new ArrayList<>(List.of("gateway.domains=" + DOMAIN, "gateway.proxy.targets=127.0.0.1:" + proxy,
                "gateway.registrar.targets=127.0.0.1:" + registrar));
        props.addAll(List.of(extra));
        gateway = RunningGateway.start(null, props.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.pool(PoolRole.PROXY).targets().stream().anyMatch(Target::acceptsNew)
                && gateway.pool(PoolRole.REGISTRAR).targets().stream().anyMatch(Target::acceptsNew));
    }

    /** One gateway for the module's bad-input tests, started with the abuse tests' connection limit. */
    static SipServiceUnderTest shared() {
        return SharedServices.once("gateway-bad-input", () -> new BadInputGateway(
                "sip.max-tcp-connections=" + AbstractTransportAbuseTest.CONNECTION_LIMIT).service());
    }

    SipServiceUnderTest service() {
        return new SipServiceUnderTest("gateway", gateway.sipPort(), DOMAIN, gateway.managementPort());
    }

    private static SipEndpoint replica(int port) {
        SipRequestHandler answer = new SipRequestHandler() {
            @Override
            public Set<String> methods() {
                return Set.of(ANY_METHOD);
            }

            @Override
            public void handle(IncomingRequest in) throws Exception {
                String method = in.request().getMethod();
                if (!Request.ACK.equals(method)) {
                    in.respond(Request.INVITE.equals(method) ? Response.NOT_FOUND : Response.OK);
                }
            }
        };
        SipEndpoint endpoint = new SipEndpoint(SipProperties.of("127.0.0.1", port),
                new SipRequestDispatcher(List.of(answer), Optional.empty(), SipFactories.get(), ""));
        endpoint.start();
        return endpoint;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            replicas.forEach(SipEndpoint::stop);
        }
    }
}
