package io.siplane.location.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Lettuce's asynchronous commands on the connection Spring Data Redis shares (standalone, Sentinel or Cluster, with
 * the same client options and timeouts), for the hot path: each command is written to the socket at once, so neither
 * the caller (a SIP event loop) blocks nor a template wraps every command. Commands issued one after the other
 * without waiting travel pipelined.
 *
 * <p>A reply arrives on the connection's one I/O thread. What the caller does next (a digest check, encoding a
 * response) runs on Lettuce's computation threads instead: on the I/O thread it would delay every later reply, and
 * on a busy machine (that thread getting its share of a core, no more) push them past the command timeout.
 */
public final class AsyncRedis {

    /** Opens the shared connection when a command finds none: never on the caller's thread (an event loop). */
    private static final Executor CONNECTING = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "location-store-connect");
        t.setDaemon(true);
        return t;
    });

    private final RedisConnectionFactory factory;
    private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;
    private volatile Executor callbacks = ForkJoinPool.commonPool();

    public AsyncRedis(RedisConnectionFactory factory) {
        this.factory = factory;
    }

    /**
     * Runs {@code command} on the shared connection. Until that connection is open (the first call, or Redis down
     * at start-up) it is asked for on a thread of its own, since opening it blocks for up to the connect timeout;
     * a connection that cannot be had fails the stage, and the next call tries again.
     */
    public <T> CompletionStage<T> run(Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletionStage<T>> command) {
        RedisClusterAsyncCommands<byte[], byte[]> open = commands;
        CompletionStage<T> sent;
        if (open != null && open.isOpen()) {
            sent = command.apply(open);
        } else {
            sent = CompletableFuture.supplyAsync(this::commands, CONNECTING).thenCompose(command);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        sent.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                result.complete(value);
            }
        }, callbacks);
        return result;
    }

    /** EVALSHA, and EVAL once when the server does not know the script yet (a restarted or new Redis). */
    public <T> CompletionStage<T> script(RedisScript<?> script, ScriptOutputType type, byte[][] keys, byte[][] args) {
        return run(c -> c.<T>evalsha(script.getSha1(), type, keys, args)
                .handle((reply, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    if (noScript(failure)) {
                        return c.<T>eval(script.getScriptAsString().getBytes(StandardCharsets.UTF_8), type, keys, args);
                    }
                    return CompletableFuture.<T>failedFuture(failure);
                })
                .thenCompose(Function.identity()));
    }

    private static boolean noScript(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisNoScriptException) {
                return true;
            }
        }
        return false;
    }

    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        RedisClusterAsyncCommands<byte[], byte[]> c = commands;
        // a connection closed for good (the factory replaced its shared one) is asked for again; while Lettuce
        // reconnects the factory hands back the same connection
        if (c == null || !c.isOpen()) {
            synchronized (this) {
                c = commands;
                if (c == null || !c.isOpen()) {
                    // with a shared native connection (the default), closing the wrapper leaves that connection open
                    try (RedisConnection connection = factory.getConnection()) {
                        if (!(connection.getNativeConnection() instanceof RedisClusterAsyncCommands<?, ?> lettuce)) {
                            throw new IllegalStateException("the location store needs Lettuce, not "
                                    + connection.getNativeConnection().getClass().getName());
                        }
                        @SuppressWarnings("unchecked")
                        RedisClusterAsyncCommands<byte[], byte[]> bytes = (RedisClusterAsyncCommands<byte[], byte[]>) lettuce;
                        c = bytes;
                    }
                    if (factory instanceof LettuceConnectionFactory lettuceFactory) {
                        callbacks = lettuceFactory.getRequiredNativeClient().getResources().eventExecutorGroup();
                    }
                    commands = c;
                }
            }
        }
        return c;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[][] bytes(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = bytes(s[i]);
        }
        return out;
    }

    /** A reply element as text: bulk strings arrive as bytes, integers as Long. */
    static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
