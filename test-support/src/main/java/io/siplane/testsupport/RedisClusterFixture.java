package io.siplane.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Cluster of N masters (no replicas) from {@code redis-server} processes on free loopback ports, made
 * with {@code redis-cli --cluster create}. For the location store's contract tests against a cluster.
 */
public final class RedisClusterFixture implements AutoCloseable {

    private final List<Process> processes;
    private final List<Integer> ports;
    private final Path dir;

    private RedisClusterFixture(List<Process> processes, List<Integer> ports, Path dir) {
        this.processes = processes;
        this.ports = ports;
        this.dir = dir;
    }

    public static RedisClusterFixture start(int masters) {
        Path dir;
        try {
            dir = Files.createTempDirectory("siplane-redis-cluster-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Process> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        RedisClusterFixture fixture = new RedisClusterFixture(processes, ports, dir);
        try {
            for (int i = 0; i < masters; i++) {
                int port = freeClusterPort();
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
                processes.add(new ProcessBuilder(binary("redis-server"), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout", "5000", "--save", "", "--appendonly", "no", "--dir", nodeDir.toString(),
                        "--loglevel", "warning")
                        .redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start());
                ports.add(port);
            }
            for (int port : ports) {
                waitFor(() -> RedisFixture.ping("127.0.0.1", port), "redis-server on " + port);
            }
            List<String> create = new ArrayList<>(List.of(binary("redis-cli"), "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
            for (int port : ports) {
                waitFor(() -> clusterInfo(port).contains("cluster_state:ok"), "cluster state ok on " + port);
            }
            return fixture;
        } catch (IOException | RuntimeException e) {
            fixture.close();
            throw new IllegalStateException("cannot start a Redis Cluster (needs redis-server and redis-cli on the PATH)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fixture.close();
            throw new IllegalStateException(e);
        }
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,…} for {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The cluster hash slot of a key (CRC16 of the hash tag or key, mod 16384), as Redis computes it. */
    public static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
            }
        }
        return crc % 16384;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }

    // the cluster bus listens on port + 10000: both must be free
    private static int freeClusterPort() {
        for (int i = 0; i < 50; i++) {
            int port = RedisFixture.freePort();
            if (port + 10000 <= 65535 && isFree(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair for a cluster node");
    }

    private static boolean isFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String clusterInfo(int port) {
        try {
            Process p = new ProcessBuilder(binary("redis-cli"), "-p", String.valueOf(port), "cluster", "info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    private static String binary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin", name))) {
            return "/usr/bin/" + name;
        }
        throw new IllegalStateException(name + " is not on the PATH (apt-get install redis-server)");
    }
}
