package io.siplane.testsupport.torture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Sends every torture message to a server over one transport, all at once, each from its own socket and with its
 * own branch (see {@link HostRewriter#rewrite(byte[], String, String, int, String)}), and judges what came back.
 */
public final class TortureRun {

    /** How long a message that must be answered may take. */
    public static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    /** The most to wait for an answer that need not come (a {@link SettleProbe} usually ends it much sooner). */
    public static final Duration SILENCE_WAIT = Duration.ofMillis(1500);

    private TortureRun() {
    }

    public static List<TortureResult> run(RawSipClient client, String domain, String transport, List<TortureMessage> messages) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(messages.size(), 64), r -> {
            Thread t = new Thread(r, "torture-" + transport);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TortureResult>> futures = new ArrayList<>();
            for (TortureMessage m : messages) {
                futures.add(pool.submit(() -> one(client, domain, transport, m)));
            }
            List<TortureResult> results = new ArrayList<>();
            for (Future<TortureResult> f : futures) {
                results.add(f.get(ANSWER_WAIT.toMillis() + 10_000, TimeUnit.MILLISECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("torture run over " + transport + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    public static TortureResult one(RawSipClient client, String domain, String transport, TortureMessage message) {
        Expectation.Kind kind = message.expectation().kind();
        boolean mustAnswer = kind == Expectation.Kind.PROCESS;
        Duration wait = mustAnswer ? ANSWER_WAIT : SILENCE_WAIT;
        SettleProbe probe = mustAnswer ? null : new SettleProbe(domain);
        Predicate<List<SipPacket>> done = kind == Expectation.Kind.DISCARD
                ? received -> false
                : received -> received.stream().anyMatch(p -> p.isFinalResponse() || p.isRequest());
        String branch = UUID.randomUUID().toString().substring(0, 8);
        String t = transport.toUpperCase(Locale.ROOT);
        RawSipClient.Exchange exchange = "TCP".equals(t)
                ? client.tcp(port -> HostRewriter.rewrite(message.bytes(), domain, t, port, branch), wait, done, probe)
                : client.udp(port -> HostRewriter.rewrite(message.bytes(), domain, t, port, branch), wait, done, probe);
        return new TortureResult(message, t, exchange, TortureJudge.judge(message, exchange));
    }
}
