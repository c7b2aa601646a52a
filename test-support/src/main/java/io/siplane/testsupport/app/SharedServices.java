package io.siplane.testsupport.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Services started once per test JVM and shared by the test classes that ask for the same key (the bad-input
 * torture, fuzz and abuse tests of one module: one start-up instead of three). They stop with the JVM: Spring Boot
 * closes every context it started from its shutdown hook.
 */
public final class SharedServices {

    private static final Map<String, Object> STARTED = new ConcurrentHashMap<>();

    private SharedServices() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T once(String key, Supplier<T> start) {
        return (T) STARTED.computeIfAbsent(key, k -> start.get());
    }
}
