package io.siplane.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;
import io.siplane.gateway.membership.HostResolver;
import io.siplane.gateway.membership.Membership;
import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.TargetPool;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.sip.SipPorts;

/** The gateway application in-process on free loopback ports, optionally with a test {@link HostResolver}. */
final class RunningGateway implements AutoCloseable {

    static final String TOKEN = "gateway-test-token-0123456789";

    private final ConfigurableApplicationContext context;
    private final int sipPort;
    private final int httpPort;
    private final int managementPort;

    private RunningGateway(ConfigurableApplicationContext context, int sipPort, int httpPort, int managementPort) {
        this.context = context;
        this.sipPort = sipPort;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    static RunningGateway start(HostResolver resolver, String... extra) {
        int sip = SipPorts.freeUdpAndTcpPort();
        int http = RedisFixture.freePort();
        int management = RedisFixture.freePort();
        while (management == http || management == sip) {
            management = RedisFixture.freePort();
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", String.valueOf(http));
        props.put("server.address", "127.0.0.1");
        props.put("management.server.port", String.valueOf(management));
        props.put("management.server.address", "127.0.0.1");
        props.put("sip.port", String.valueOf(sip));
        props.put("sip.bind-address", "127.0.0.1");
        props.put("sip.advertised-address", "127.0.0.1");
        props.put("sip.thread-pool-size", "8");
        props.put("gateway.domains", "example.com");
        props.put("gateway.probe.interval", "500ms");
        props.put("gateway.probe.timeout", "300ms");
        props.put("gateway.resolve-interval", "300ms");
        props.put("gateway.flow-token-secret", "gateway-test-flow-secret-0123456789");
        props.put("gateway.http.api-token", TOKEN);
        props.put("gateway.http.location-url", "http://127.0.0.1:1");
        props.put("gateway.flood.allow", "127.0.0.1/32");
        for (String e : extra) {
            int eq = e.indexOf('=');
            props.put(e.substring(0, eq), e.substring(eq + 1));
        }
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(GatewayApplication.class);
        if (resolver != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("hostResolver", resolver));
        }
        return new RunningGateway(builder.run(args), sip, http, management);
    }

    int sipPort() {
        return sipPort;
    }

    /** The public HTTP edge: REST API and a bare health status. */
    int httpPort() {
        return httpPort;
    }

    /** The actuator: metrics, prometheus, health with details. */
    int managementPort() {
        return managementPort;
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    TargetPool pool(PoolRole role) {
        return context.getBean(Membership.class).pools().stream().filter(p -> p.role() == role).findFirst().orElseThrow();
    }

    double counter(String name, String... tags) {
        var c = context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        SpringApplication.exit(context);
    }
}
