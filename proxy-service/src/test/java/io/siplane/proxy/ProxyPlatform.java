package io.siplane.proxy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.registrar.RegistrarApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.SipTarget;

/**
 * The services the proxy tests share, started once per test JVM on free loopback ports against the shared test
 * Redis: the real registrar, two proxy replicas with Record-Route off (the default) and one with it on.
 * Spring's shutdown hook stops them when the JVM exits.
 */
final class ProxyPlatform {

    static final String DOMAIN = "proxy-test.example";
    static final String SECRET = "proxy-test-nonce-secret-0123456789";

    private static ProxyPlatform instance;
    private static RuntimeException startFailure;

    final RunningService registrar;
    final int registrarPort;
    final RunningProxy replicaA;
    final RunningProxy replicaB;
    final RunningProxy recordRouting;

    private ProxyPlatform() {
        String redis = RedisFixture.url();
        registrarPort = SipPorts.freeUdpAndTcpPort();
        registrar = RunningService.start(RegistrarApplication.class, Map.of(
                "server.port", "0", "sip.port", String.valueOf(registrarPort), "sip.thread-pool-size", "8",
                "spring.data.redis.url", redis, "spring.data.redis.timeout", "2s", "spring.data.redis.connect-timeout", "2s",
                "sip.digest.nonce-secret", SECRET, "registrar.domains", DOMAIN));
        replicaA = RunningProxy.start(redis);
        replicaB = RunningProxy.start(redis);
        recordRouting = RunningProxy.start(redis, "proxy.record-route=true");
    }

    static synchronized ProxyPlatform get() {
        if (startFailure != null) {
            throw new IllegalStateException("the test platform failed to start", startFailure);
        }
        if (instance == null) {
            try {
                instance = new ProxyPlatform();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return instance;
    }

    SipTarget registrarTarget() {
        return SipTarget.loopback(registrarPort);
    }

    LocationStore store() {
        return registrar.bean(LocationStore.class);
    }

    /** A new subscriber of {@link #DOMAIN} with password {@link #password}; its user name. */
    String newSubscriber(String base) {
        String user = base + "-" + UUID.randomUUID().toString().substring(0, 8);
        store().createSubscriber(Subscriber.withPassword(user, DOMAIN, password(user).toCharArray(), Instant.now()));
        return user;
    }

    static String password(String user) {
        return "pw-" + user;
    }

    static String aor(String user) {
        return "sip:" + user + "@" + DOMAIN;
    }
}
