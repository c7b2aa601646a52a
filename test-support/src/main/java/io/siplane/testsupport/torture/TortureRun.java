package io.siplane.testsupport.torture;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends every torture message to a server over one transport, each from its own socket, and judges what came back.
 *
 * <p>Messages run in parallel, except those whose topmost Via carries the same branch: the RFC reuses a few branch
 * values (22 messages use {@code z9hG4bKkdjuw}), and JAIN-SIP RI 1.3.0-91 silently drops a request whose branch
 * equals that of a request still being processed, even from another sender (it matches pending transactions on the
 * branch alone, not on branch + sent-by + method as RFC 3261 §17.2.3 says), and for a moment after it was answered.
 * Those run one after another, a little apart.
 */
public final class TortureRun {

    /** How long a message that must be answered may take. */
    public static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    /** The most to wait for an answer that need not come (a {@link SettleProbe} usually ends it much sooner). */
    public static final Duration SILENCE_WAIT = Duration.ofMillis(1500);

    /** Between two messages with the same branch (see the class comment). */
    static final Duration SAME_BRANCH_GAP = Duration.ofMillis(100);
    private static final Pattern BRANCH = Pattern.compile("(?i)branch\\s*=\\s*([^;,\\s]+)");

    private TortureRun() {
    }

    public static List<TortureResult> run(RawSipClient client, String domain, String transport, List<TortureMessage> messages) {
        Map<String, List<TortureMessage>> chains = new LinkedHashMap<>();
        for (TortureMessage m : messages) {
            Matcher b = BRANCH.matcher(new String(m.bytes(), StandardCharsets.ISO_8859_1));
            String key = b.find() ? b.group(1).toLowerCase(Locale.ROOT) : "(no branch) " + m.name();
            chains.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        }
        ExecutorService pool = Executors.newFixedThreadPool(chains.size(), r -> {
            Thread t = new Thread(r, "torture-" + transport);
            t.setDaemon(true);
            return t;
        });
        Map<TortureMessage, TortureResult> results = new ConcurrentHashMap<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (List<TortureMessage> chain : chains.values()) {
                running.add(pool.submit(() -> {
                    for (TortureMessage m : chain) {
                        results.put(m, one(client, domain, transport, m));
                        // the stack forgets the previous request of the same branch just after it was answered
                        Thread.sleep(SAME_BRANCH_GAP.toMillis());
                    }
                    return null;
                }));
            }
            long budget = messages.size() * (ANSWER_WAIT.toMillis() + 1_000);
            for (Future<?> f : running) {
                f.get(budget, TimeUnit.MILLISECONDS);
            }
            return messages.stream().map(results::get).toList();
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
        RawSipClient.Exchange exchange = "TCP".equalsIgnoreCase(transport)
                ? client.tcp(port -> HostRewriter.rewrite(message.bytes(), domain, "TCP", port), wait, done, probe)
                : client.udp(port -> HostRewriter.rewrite(message.bytes(), domain, "UDP", port), wait, done, probe);
        return new TortureResult(message, transport.toUpperCase(Locale.ROOT), exchange, TortureJudge.judge(message, exchange));
    }
}
