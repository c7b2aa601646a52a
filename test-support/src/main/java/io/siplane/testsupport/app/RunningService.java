package io.siplane.testsupport.app;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real service application started in the test JVM on loopback, e.g. the registrar beside the proxy under test.
 * Properties are passed as command-line arguments, so they win over the application's own {@code application.yml}.
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
        props.putAll(properties);
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application).run(args);
        return new RunningService(context, props);
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
