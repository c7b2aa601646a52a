package io.siplane.sip.shutdown;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.siplane.sip.SipFactories;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.SourceAddress;

/**
 * The draining state of a SIP element that is shutting down, shared by the dispatcher (which asks it what to do
 * with each request) and the endpoint (which waits on it before stopping the stack).
 *
 * <p>Draining runs in two steps, like a load-balanced HTTP server's "stop advertising, then stop accepting":
 * <ol>
 *   <li><b>announcing</b>: probes ({@code OPTIONS} to the element itself: no user part, no To-tag, as the gateway
 *       sends them) are answered 503, so the prober takes the element out of rotation (RFC 3261 §21.5.4); new
 *       requests are still served until every source that probed within the last {@code announce-timeout} has got
 *       its 503 (plus a moment for what it sent meanwhile), at most {@code announce-timeout};</li>
 *   <li><b>refusing</b>: new out-of-dialog requests get 503 with {@code Retry-After}; requests inside a dialog
 *       (To-tag), ACK and CANCEL are still processed, and so is a new request of a Call-ID seen shortly before (the
 *       retry of a request challenged with 401/407 belongs to a call already under way).</li>
 * </ol>
 * The endpoint stops the stack once the announcement is over and nothing is in flight, or at {@code drain-timeout}.
 */
public final class SipDrain {

    /** What the dispatcher does with a request. */
    public enum Admission {
        SERVE,
        /** a probe of this element while draining: 503 */
        REFUSE_PROBE,
        /** a new transaction while draining: 503 + Retry-After */
        REFUSE_NEW
    }

    /** After the last prober got its 503, requests it had already sent may still arrive. */
    static final Duration PROBER_SETTLE = Duration.ofMillis(500);
    /** RFC 3261 Timer F (64·T1): how long a Call-ID counts as a call under way. */
    static final Duration CONVERSATION_MEMORY = Duration.ofSeconds(32);
    private static final long MAX_REMEMBERED_CALL_IDS = 20_000;
    private static final long MAX_PROBERS = 1_000;

    private final SipShutdownProperties properties;
    private final boolean enabled;
    private final LongSupplier nanoTime;
    private final Cache<String, Long> probers;
    private final Cache<String, Boolean> recentCallIds;
    private final AtomicInteger handling = new AtomicInteger();
    private final Set<String> told = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    private volatile long drainStartedAt;
    private volatile Set<String> toTell = Set.of();
    private volatile long allToldAt;

    public SipDrain(SipShutdownProperties properties) {
        this(properties, System::nanoTime, true);
    }

    SipDrain(SipShutdownProperties properties, LongSupplier nanoTime) {
        this(properties, nanoTime, true);
    }

    private SipDrain(SipShutdownProperties properties, LongSupplier nanoTime, boolean enabled) {
        this.properties = properties;
        this.enabled = enabled;
        this.nanoTime = nanoTime;
        Duration memory = properties.announceTimeout().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : properties.announceTimeout();
        this.probers = Caffeine.newBuilder().expireAfterWrite(memory).maximumSize(MAX_PROBERS).build();
        this.recentCallIds = Caffeine.newBuilder().expireAfterWrite(CONVERSATION_MEMORY).maximumSize(MAX_REMEMBERED_CALL_IDS)
                .build();
    }

    /** Never drains: requests are always served and the stack stops at once (a bare endpoint, tests). */
    public static SipDrain none() {
        return new SipDrain(new SipShutdownProperties(Duration.ZERO, Duration.ZERO, Duration.ZERO), System::nanoTime, false);
    }

    public SipShutdownProperties properties() {
        return properties;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Starts draining: from now on probes are answered 503. The sources that probed within the last
     * {@code announce-timeout} are the ones to tell before new requests are refused.
     */
    public synchronized void begin() {
        if (draining || !enabled) {
            return;
        }
        long now = nanoTime.getAsLong();
        long horizon = now - properties.announceTimeout().toNanos();
        toTell = probers.asMap().entrySet().stream().filter(e -> e.getValue() - horizon >= 0).map(e -> e.getKey())
                .collect(Collectors.toUnmodifiableSet());
        drainStartedAt = now;
        allToldAt = toTell.isEmpty() ? now - settle() : Long.MIN_VALUE;
        draining = true;
    }

    /** Whether new requests are still served while the probers learn that this element drains. */
    public boolean announcing() {
        if (!draining) {
            return false;
        }
        long now = nanoTime.getAsLong();
        if (now - drainStartedAt >= properties.announceTimeout().toNanos()) {
            return false;
        }
        long toldAt = allToldAt;
        return toldAt == Long.MIN_VALUE || now - toldAt < settle();
    }

    /** The probers that have not been answered 503 yet (for logs). */
    public Set<String> probersNotTold() {
        return toTell.stream().filter(p -> !told.contains(p)).collect(Collectors.toUnmodifiableSet());
    }

    /** What to do with {@code request} from {@code source}; also remembers probers and the Call-IDs of new requests. */
    public Admission admit(Request request, SourceAddress source) {
        if (!enabled) {
            return Admission.SERVE;
        }
        String method = request.getMethod();
        if (Request.ACK.equals(method) || Request.CANCEL.equals(method) || SipHeaders.toTag(request).isPresent()) {
            return Admission.SERVE;
        }
        if (isProbe(request)) {
            String prober = source.toString();
            probers.put(prober, nanoTime.getAsLong());
            if (!draining) {
                return Admission.SERVE;
            }
            proberTold(prober);
            return Admission.REFUSE_PROBE;
        }
        String callId = SipHeaders.callId(request);
        if (!draining) {
            recentCallIds.put(callId, Boolean.TRUE);
            return Admission.SERVE;
        }
        if (recentCallIds.getIfPresent(callId) != null) {
            return Admission.SERVE;
        }
        if (announcing()) {
            recentCallIds.put(callId, Boolean.TRUE);
            return Admission.SERVE;
        }
        return Admission.REFUSE_NEW;
    }

    /** A handler started working on a request; pair with {@link #handled()}. */
    public void handling() {
        handling.incrementAndGet();
    }

    public void handled() {
        handling.decrementAndGet();
    }

    /** Requests inside a handler right now (stateless services finish their work there). */
    public int handlersRunning() {
        return handling.get();
    }

    /** Time since draining began. */
    /**
     * After {@link #begin}: waits while the probers are still being told or {@code inFlight} (an engine's
     * transactions and running handlers) is above zero, polling every {@code pollMillis}, at most
     * {@code sip.shutdown.drain-timeout}. The engines' stop uses it before closing their sockets.
     *
     * @return whether it ended with nothing in flight (false: timed out or interrupted)
     */
    public boolean awaitQuiet(java.util.function.IntSupplier inFlight, long pollMillis) {
        long timeout = properties.drainTimeout().toNanos();
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeout && (announcing() || inFlight.getAsInt() > 0)) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.getAsInt() == 0;
    }

    public Duration elapsed() {
        return draining ? Duration.ofNanos(nanoTime.getAsLong() - drainStartedAt) : Duration.ZERO;
    }

    public int retryAfterSeconds() {
        return (int) properties.retryAfter().toSeconds();
    }

    /** {@code response} (a 503) with this drain's {@code Retry-After}. */
    public Response withRetryAfter(Response response) {
        try {
            response.setHeader(SipFactories.get().headers().createRetryAfterHeader(retryAfterSeconds()));
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException("bad sip.shutdown.retry-after", e);
        }
        return response;
    }

    private void proberTold(String prober) {
        if (told.add(prober) && toTell.contains(prober) && told.containsAll(toTell)) {
            allToldAt = nanoTime.getAsLong();
        }
    }

    private long settle() {
        return Math.min(TimeUnit.MILLISECONDS.toNanos(PROBER_SETTLE.toMillis()), properties.announceTimeout().toNanos());
    }

    /** OPTIONS addressed to the element itself (RFC 3261 §11): no user part, outside a dialog. */
    static boolean isProbe(Request request) {
        return Request.OPTIONS.equals(request.getMethod()) && request.getRequestURI() instanceof SipURI uri
                && (uri.getUser() == null || uri.getUser().isEmpty()) && SipHeaders.toTag(request).isEmpty();
    }
}
