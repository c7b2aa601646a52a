package io.siplane.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * One real Redis for the whole test JVM, chosen in this order:
 * <ol>
 *   <li>{@code REDIS_URL} when set (the caller owns its contents: tests use their own key prefixes);</li>
 *   <li>a Testcontainers {@code redis:7-alpine} when a Docker engine answers;</li>
 *   <li>{@code redis-server} from the PATH on a free loopback port, removed at JVM exit;</li>
 *   <li>otherwise the tests abort with a message saying how to get Redis.</li>
 * </ol>
 * Tests that must stop and restart Redis use {@link #startDedicated()} instead, which always
 * starts a private {@code redis-server} process.
 */
public final class RedisFixture {

    private static final Logger log = LoggerFactory.getLogger(RedisFixture.class);
    private static volatile String sharedUrl;

    private RedisFixture() {
    }

    /** The URL of the shared Redis, starting it on first use. */
    public static synchronized String url() {
        if (sharedUrl == null) {
            sharedUrl = start();
        }
        return sharedUrl;
    }

    /** Registers {@code spring.data.redis.url} for a Spring test. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", RedisFixture::url);
    }

    /** Host and port of the shared Redis. */
    public static InetSocketAddress address() {
        URI uri = URI.create(url());
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    private static String start() {
        String env = System.getenv("REDIS_URL");
        if (env != null && !env.isBlank()) {
            log.info("Tests use Redis from REDIS_URL");
            return env;
        }
        if (dockerAvailable()) {
            GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            redis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "redis-container-stop"));
            return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
        }
        LocalRedis local = startDedicated();
        Runtime.getRuntime().addShutdownHook(new Thread(local::close, "redis-server-stop"));
        return local.url();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    /** Starts a private {@code redis-server} on a free loopback port. */
    public static LocalRedis startDedicated() {
        return LocalRedis.start(freePort(), false);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** A {@code redis-server} child process that can be stopped and started again on the same port. */
    public static final class LocalRedis implements AutoCloseable {
        private final int port;
        private final boolean appendOnly;
        private final Path dir;
        private Process process;

        private LocalRedis(int port, boolean appendOnly, Path dir) {
            this.port = port;
            this.appendOnly = appendOnly;
            this.dir = dir;
        }

        /** Starts {@code redis-server}; with {@code appendOnly} it keeps an AOF (fsync always) in its own directory. */
        public static LocalRedis start(int port, boolean appendOnly) {
            try {
                LocalRedis r = new LocalRedis(port, appendOnly, Files.createTempDirectory("siplane-redis-"));
                r.start();
                return r;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public synchronized void start() {
            if (process != null && process.isAlive()) {
                return;
            }
            List<String> cmd = List.of(redisServerBinary(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always",
                    "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning");
            try {
                process = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Tests need Redis: set REDIS_URL, run a Docker engine, or install redis-server (apt-get install redis-server)", e);
            }
            waitForPing(Duration.ofSeconds(15));
        }

        /** Kills the server (SIGKILL: like a crash). The AOF, if any, stays. */
        public synchronized void stop() {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }

        public int port() {
            return port;
        }

        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        @Override
        public synchronized void close() {
            stop();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: it is a temp dir
            }
        }

        private void waitForPing(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited at start; see " + dir.resolve("redis.log"));
                }
                if (ping("127.0.0.1", port)) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            throw new IllegalStateException("redis-server did not answer PING on port " + port);
        }
    }

    private static String redisServerBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin").split(":")) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "Tests need Redis: set REDIS_URL, run a Docker engine, or install redis-server (apt-get install redis-server)");
    }

    /** Sends PING over RESP; true on +PONG. */
    public static boolean ping(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return n == 7 && new String(buf, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
