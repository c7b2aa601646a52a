package io.siplane.devredis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import redis.embedded.RedisServer;

/**
 * A throw-away Redis for {@code ./run.sh} on machines without {@code redis-server}: runs the binary that
 * embedded-redis ships on a loopback port, keeps nothing on disk, and stops it when this JVM gets SIGTERM
 * (or SIGINT). Exits non-zero if Redis dies under it, so the run script notices.
 *
 * <p>Options: {@code --port=6399} {@code --bind=127.0.0.1} {@code --maxmemory=256mb}
 * {@code --child-pid-file=PATH} (where to write the redis-server pid, so a killed JVM leaves nothing behind).
 */
public final class DevRedis {

    private DevRedis() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = parse(args);
        int port = Integer.parseInt(options.getOrDefault("port", "6399"));
        String bind = options.getOrDefault("bind", "127.0.0.1");
        String maxMemory = options.getOrDefault("maxmemory", "256mb");

        RedisServer redis = RedisServer.newRedisServer()
                .bind(bind)
                .port(port)
                // a dev store: nothing is written to disk (embedded-redis would otherwise leave dump.rdb behind)
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("maxmemory " + maxMemory)
                .setting("dir " + System.getProperty("java.io.tmpdir"))
                .build();
        redis.start();
        // embedded-redis registers its own shutdown hook that stops the server; SIGTERM and SIGINT run it

        Optional<ProcessHandle> server = ProcessHandle.current().children().findFirst();
        String childPidFile = options.get("child-pid-file");
        if (childPidFile != null && server.isPresent()) {
            Files.writeString(Path.of(childPidFile), server.get().pid() + "\n");
        }
        System.out.printf("dev-redis: Redis ready on %s:%d (redis-server pid %s); nothing is persisted%n",
                bind, port, server.map(p -> Long.toString(p.pid())).orElse("?"));

        while (redis.isActive() && server.map(ProcessHandle::isAlive).orElse(true)) {
            Thread.sleep(1000);
        }
        System.err.println("dev-redis: redis-server exited unexpectedly");
        System.exit(1);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unknown argument " + arg
                        + " (expected --port=N, --bind=ADDR, --maxmemory=SIZE or --child-pid-file=PATH)");
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }
}
