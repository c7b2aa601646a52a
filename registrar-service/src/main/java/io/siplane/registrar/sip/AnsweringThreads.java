package io.siplane.registrar.sip;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where an answer that waited for Redis is sent from. The Netty engine's {@code respond} only queues a write, so
 * the thread that received Redis's reply sends it ({@link #direct()}). The JAIN-SIP RI's stateless send may block
 * (a TCP write under the channel's lock, a connection looked up or opened), which on Lettuce's one I/O thread would
 * hold up every Redis reply behind it: there the answer is handed to a few threads of its own ({@link #pool}).
 */
final class AnsweringThreads implements AutoCloseable {

    private final Executor executor;
    private final ExecutorService owned;

    private AnsweringThreads(Executor executor, ExecutorService owned) {
        this.executor = executor;
        this.owned = owned;
    }

    static AnsweringThreads direct() {
        return new AnsweringThreads(Runnable::run, null);
    }

    static AnsweringThreads pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "registrar-answer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new AnsweringThreads(pool, pool);
    }

    Executor executor() {
        return executor;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
        }
    }
}
