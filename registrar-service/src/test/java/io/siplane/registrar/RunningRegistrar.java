package io.siplane.registrar;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.siplane.location.LocationStore;
import io.siplane.location.Subscriber;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.sip.SipPorts;

/** The real registrar application on free loopback ports (SIP UDP+TCP and HTTP) against a real Redis. */
final class RunningRegistrar implements AutoCloseable {

    static final String SECRET = "registrar-test-nonce-secret-0123456789";
    static final String DOMAIN = "example.com";

    private final ConfigurableApplicationContext context;
    private final int sipPort;
    private final int httpPort;

    private RunningRegistrar(ConfigurableApplicationContext context, int sipPort, int httpPort) {
        this.context = context;
        this.sipPort = sipPort;
        this.httpPort = httpPort;
    }

    /** Starts against the shared test Redis, with {@code extra} properties ({@code name=value}) on top. */
    static RunningRegistrar start(String... extra) {
        return startWithRedis(RedisFixture.url(), extra);
    }

    static RunningRegistrar startWithRedis(String redisUrl, String... extra) {
        int sip = SipPorts.freeUdpAndTcpPort();
        int http = RedisFixture.freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", String.valueOf(http));
        props.put("server.address", "127.0.0.1");
        props.put("sip.port", String.valueOf(sip));
        props.put("sip.bind-address", "127.0.0.1");
        props.put("sip.advertised-address", "127.0.0.1");
        props.put("sip.thread-pool-size", "8");
        props.put("spring.data.redis.url", redisUrl);
        props.put("sip.digest.nonce-secret", SECRET);
        props.put("registrar.domains", DOMAIN + ",example.org");
        for (String e : extra) {
            int eq = e.indexOf('=');
            props.put(e.substring(0, eq), e.substring(eq + 1));
        }
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RegistrarApplication.class)
                .run(args);
        return new RunningRegistrar(context, sip, http);
    }

    int sipPort() {
        return sipPort;
    }

    int httpPort() {
        return httpPort;
    }

    LocationStore store() {
        return context.getBean(LocationStore.class);
    }

    StringRedisTemplate redis() {
        return new StringRedisTemplate(context.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class));
    }

    /** Provisions {@code user@example.com} with {@code password} (HA1 only, as location-service does). */
    Subscriber subscriber(String user, String password) {
        Subscriber s = Subscriber.withPassword(user, DOMAIN, password.toCharArray(), java.time.Instant.now());
        store().createSubscriber(s);
        return s;
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        SpringApplication.exit(context);
    }
}
