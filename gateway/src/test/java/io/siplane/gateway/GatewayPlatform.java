package io.siplane.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;

import io.siplane.gateway.membership.PoolRole;
import io.siplane.gateway.membership.Target;
import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.locationservice.LocationServiceApplication;
import io.siplane.proxy.ProxyApplication;
import io.siplane.registrar.RegistrarApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.SipPorts;

/**
 * The platform behind a real gateway, in-process against a real Redis: location-service, one registrar and one proxy
 * (both on 127.0.0.1, as is the gateway), for tests that need nothing more. Closing it stops everything it started
 * and everything handed to {@link #keep}, last first.
 */
final class GatewayPlatform implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    final String domain;
    final RunningService registrar;
    final RunningGateway gateway;
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());

    /** @param sipServiceProperties extra properties of both the registrar and the proxy */
    static GatewayPlatform start(String domain, String nonceSecret, Map<String, String> sipServiceProperties) {
        return new GatewayPlatform(domain, nonceSecret, sipServiceProperties);
    }

    private GatewayPlatform(String domain, String nonceSecret, Map<String, String> sipServiceProperties) {
        this.domain = domain;
        String redis = RedisFixture.url();
        int locationPort = RedisFixture.freePort();
        keep(RunningService.start(LocationServiceApplication.class, Map.of("server.port", String.valueOf(locationPort),
                "spring.data.redis.url", redis, "siplane.api.token", RunningGateway.TOKEN, "sip.enabled", "false")));
        Map<String, String> common = new HashMap<>(Map.of("server.port", "0", "sip.thread-pool-size", "8",
                "spring.data.redis.url", redis, "spring.data.redis.timeout", "2s", "sip.digest.nonce-secret", nonceSecret));
        common.putAll(sipServiceProperties);
        int registrarPort = SipPorts.freeUdpAndTcpPort();
        Map<String, String> registrarProperties = new HashMap<>(common);
        registrarProperties.put("sip.port", String.valueOf(registrarPort));
        registrarProperties.put("registrar.domains", domain);
        registrar = keep(RunningService.start(RegistrarApplication.class, registrarProperties));
        int proxyPort = SipPorts.freeUdpAndTcpPort();
        Map<String, String> proxyProperties = new HashMap<>(common);
        proxyProperties.put("sip.port", String.valueOf(proxyPort));
        proxyProperties.put("proxy.domains", domain);
        keep(RunningService.start(ProxyApplication.class, proxyProperties));
        gateway = keep(RunningGateway.start(null, "gateway.domains=" + domain,
                "gateway.proxy.targets=127.0.0.1:" + proxyPort, "gateway.registrar.targets=127.0.0.1:" + registrarPort,
                "gateway.http.location-url=http://127.0.0.1:" + locationPort));
        Awaitility.await().atMost(WAIT).until(() -> gateway.pool(PoolRole.PROXY).targets().stream().anyMatch(Target::acceptsNew)
                && gateway.pool(PoolRole.REGISTRAR).targets().stream().anyMatch(Target::acceptsNew));
    }

    <T extends AutoCloseable> T keep(T c) {
        closeables.add(c);
        return c;
    }

    /** A new subscriber {@code base-xxxxxxxx} whose password is {@code pw-} and its name. */
    String subscriber(String base) {
        String user = base + "-" + UUID.randomUUID().toString().substring(0, 8);
        registrar.bean(LocationStore.class).createSubscriber(Subscriber.withPassword(user, domain, ("pw-" + user).toCharArray(), Instant.now()));
        return user;
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // close the others
            }
        }
    }
}
