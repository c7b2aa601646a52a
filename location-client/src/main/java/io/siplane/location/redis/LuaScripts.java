package io.siplane.location.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/** The location store's Lua scripts (next to this class as resources), read once. */
final class LuaScripts {

    @SuppressWarnings("rawtypes")
    static final RedisScript<java.util.List> REGISTER = load("register.lua", java.util.List.class);
    static final RedisScript<Long> PURGE = load("purge.lua", Long.class);
    static final RedisScript<Long> REMOVE = load("remove.lua", Long.class);
    static final RedisScript<Long> INDEX = load("index.lua", Long.class);
    static final RedisScript<Long> CREATE_SUBSCRIBER = load("subscriber.lua", Long.class);
    static final RedisScript<Long> NONCE_COUNT = load("nonce-count.lua", Long.class);

    private LuaScripts() {
    }

    /**
     * The script's text is read once: a script backed by a resource re-reads the resource's last-modified time on
     * every call (to re-hash a changed file), which inside a jar is a jar lookup under a lock, on every REGISTER.
     */
    static <T> RedisScript<T> load(String name, Class<T> type) {
        try (InputStream in = new ClassPathResource("io/siplane/location/redis/" + name).getInputStream()) {
            return RedisScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redis script " + name, e);
        }
    }
}
