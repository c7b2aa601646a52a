package io.siplane.testsupport.app;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real service application started in the test JVM on loopback, e.g. the registrar beside the proxy under test.
 * Properties are passed as command-line arguments, so they win over the application's own {@code application.yml}.
 *
 * <p>Several services share one test classpath, where the first {@code application.yml} found would shadow the
 * others: each service is therefore started with the {@code application.yml} of its own jar (or classes folder).
 */
public final class RunningService implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final Map<String, String> properties;

    private RunningService(ConfigurableApplicationContext context, Map<String, String> properties) {
        this.context = context;
        this.properties = Map.copyOf(properties);
    }

    /** Starts {@code application} with {@code properties} (e.g. {@code sip.port}, {@code spring.data.redis.url}). */
    public static RunningService start(Class<?> application, Map<String, String> properties) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.address", "127.0.0.1");
        props.put("sip.bind-address", "127.0.0.1");
        props.put("sip.advertised-address", "127.0.0.1");
        // a test JVM's shutdown hook closes every service: don't let a transaction a test left open hold it 20 s each
        props.put("sip.shutdown.drain-timeout", "2s");
        props.put("sip.shutdown.announce-timeout", "1s");
        ownApplicationYml(application).ifPresent(location -> props.put("spring.config.location", location));
        props.putAll(properties);
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application).run(args);
        return new RunningService(context, props);
    }

    /** The {@code application.yml} that sits beside {@code application}'s classes, as a config location. */
    static java.util.Optional<String> ownApplicationYml(Class<?> application) {
        java.security.CodeSource source = application.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return java.util.Optional.empty();
        }
        String location = source.getLocation().toString();
        return java.util.Optional.of(location.endsWith(".jar") ? "jar:" + location + "!/application.yml"
                : (location.endsWith("/") ? location : location + "/") + "application.yml");
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** A property it was started with. */
    public String property(String name) {
        return properties.get(name);
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            SpringApplication.exit(context);
        }
    }
}
