package io.siplane.redirect.sip;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.location.BindingLookup;
import io.siplane.location.Reachability;
import io.siplane.location.cache.CachedBindingLookup;
import io.siplane.redirect.RedirectMetrics;
import io.siplane.redirect.RedirectProperties;
import io.siplane.sip.SipProperties;
import io.siplane.sip.chain.RequestStep;
import io.siplane.sip.chain.RequestStep.Verdict;
import io.siplane.sip.pipeline.IncomingRequest;

/**
 * The redirect server's own steps (the shared ones are {@code StockSteps}); {@link RedirectSipConfiguration} lists
 * them in order. Every answer is stateless: a retransmission is simply answered again.
 *
 * <p>The lookup never blocks the event loop that runs the chain: an answer the near-cache holds fresh is sent at
 * once; a miss goes to a small bounded pool of lookup threads that may wait on Redis and answer from there (the
 * channel is thread-safe). A full pool answers 503 at once, as does a store that cannot answer.
 */
@Component
public class RedirectSteps implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedirectSteps.class);
    static final List<String> ALLOWED = List.of("INVITE", "ACK", "CANCEL", "OPTIONS", "MESSAGE", "SUBSCRIBE", "NOTIFY",
            "REFER", "INFO", "UPDATE", "PUBLISH", "PRACK");

    private final BindingLookup lookup;
    private final Optional<CachedBindingLookup> nearCache;
    private final RedirectProperties properties;
    private final RedirectMetrics metrics;
    private final SipProperties sipProperties;
    private final ThreadPoolExecutor lookups;
    private final Clock clock = Clock.systemUTC();

    public RedirectSteps(BindingLookup lookup, RedirectProperties properties, RedirectMetrics metrics, SipProperties sip) {
        this.lookup = lookup;
        this.nearCache = lookup instanceof CachedBindingLookup cached ? Optional.of(cached) : Optional.empty();
        this.properties = properties;
        this.metrics = metrics;
        this.sipProperties = sip;
        this.lookups = new ThreadPoolExecutor(properties.lookupThreads(), properties.lookupThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.lookupQueue()), RedirectSteps::lookupThread,
                new ThreadPoolExecutor.AbortPolicy());
        this.lookups.allowCoreThreadTimeOut(true);
    }

    private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();

    private static Thread lookupThread(Runnable work) {
        Thread thread = new Thread(work, "redirect-lookup-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /** {@code step}, with the answer it sent counted in {@code siplane.redirect.responses}. */
    RequestStep counted(RequestStep step) {
        return in -> {
            Verdict verdict = step.apply(in);
            if (verdict == Verdict.DONE && in.finalResponseSent()) {
                metrics.answered(in.method(), in.finalStatus());
            }
            return verdict;
        };
    }

    /** No user part, or our own address: an OPTIONS for this server, not for a user. */
    boolean addressedToServer(IncomingRequest in) {
        if (!(in.request().getRequestURI() instanceof SipURI sip)) {
            return false;
        }
        if (sip.getUser() == null) {
            return true;
        }
        String host = sip.getHost().toLowerCase(Locale.ROOT);
        return host.equals(sipProperties.advertisedHost()) && !properties.serves(host);
    }

    /** A user of a domain we serve, else 404 Not Found Here (the Request-URI is a SIP URI by now). */
    Verdict ourDomainOnly(IncomingRequest in) throws SipException {
        SipURI uri = (SipURI) in.request().getRequestURI();
        if (properties.serves(uri.getHost()) && uri.getUser() != null) {
            return Verdict.NEXT;
        }
        send(in, in.response(Response.NOT_FOUND, "Not Found Here"));
        return Verdict.DONE;
    }

    /** The callee's bindings: 302, 480, 404, or 503 while the store cannot answer. */
    Verdict lookUpAndRedirect(IncomingRequest in) throws Exception {
        SipURI uri = (SipURI) in.request().getRequestURI();
        Optional<AddressOfRecord> aor = AddressOfRecord.tryParse(uri.getScheme() + ":" + uri.getUser() + "@" + uri.getHost()
                + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        if (aor.isEmpty()) {
            send(in, in.response(Response.BAD_REQUEST, "Bad Request-URI"));
            return Verdict.DONE;
        }
        Optional<Reachability> known = nearCache.flatMap(cache -> cache.freshReachability(aor.get()));
        if (known.isPresent()) {
            send(in, answerFor(in, known.get()));
            return Verdict.DONE;
        }
        try {
            lookups.execute(() -> answerFromStore(in, aor.get()));
        } catch (RejectedExecutionException full) {
            // more misses waiting than the pool holds: shed now rather than queue without bound
            send(in, storeUnavailable(in));
        }
        return Verdict.DONE;
    }

    private void answerFromStore(IncomingRequest in, AddressOfRecord aor) {
        try {
            send(in, answerFor(in, Reachability.of(lookup, aor)));
        } catch (Exception e) {
            log.warn("lookup of {} failed: {}", aor, e.toString());
            if (!in.finalResponseSent()) {
                try {
                    send(in, in.response(Response.SERVER_INTERNAL_ERROR));
                } catch (Exception unanswerable) {
                    log.debug("cannot answer {}: {}", in.method(), unanswerable.toString());
                }
            }
        }
    }

    private Response answerFor(IncomingRequest in, Reachability reachability) throws ParseException, InvalidArgumentException {
        if (reachability instanceof Reachability.Registered registered) {
            return redirect(in, registered);
        }
        if (reachability instanceof Reachability.NotRegistered) {
            return in.response(Response.TEMPORARILY_UNAVAILABLE);
        }
        if (reachability instanceof Reachability.UnknownUser) {
            return in.response(Response.NOT_FOUND);
        }
        return storeUnavailable(in);
    }

    /** RFC 3261 §21.3.3: 302 with one Contact per binding, each with its q-value and remaining expires. */
    private Response redirect(IncomingRequest in, Reachability.Registered contacts) throws ParseException, InvalidArgumentException {
        Response response = in.response(Response.MOVED_TEMPORARILY);
        Instant now = clock.instant();
        for (Binding b : contacts.bindings()) {
            URI target = in.factories().addresses().createURI(b.contactUri());
            if (!b.path().isEmpty() && target instanceof SipURI sip) {
                // RFC 3327 §5.3 / RFC 3261 §19.1.1: the caller must reach the contact through its Path
                sip.setHeader("Route", escapeHeaderValue(String.join(",", b.path())));
            }
            Address address = in.factories().addresses().createAddress(target);
            ContactHeader contact = in.factories().headers().createContactHeader(address);
            if (b.q().isPresent()) {
                contact.setQValue(b.q().get().floatValue());
            }
            contact.setExpires((int) Math.min(Integer.MAX_VALUE, b.expiresIn(now)));
            response.addHeader(contact);
        }
        return response;
    }

    // RFC 3261 §25.1: hvalue = *( hnv-unreserved / unreserved / escaped )
    private static final String HVALUE_SAFE = "-_.!~*'()[]/?:+$";

    static String escapeHeaderValue(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c < 0x80 && HVALUE_SAFE.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** RFC 3261 §21.5.4: 503 with Retry-After while the location store cannot answer. */
    private Response storeUnavailable(IncomingRequest in) throws InvalidArgumentException {
        Response response = in.response(Response.SERVICE_UNAVAILABLE);
        RetryAfterHeader retryAfter = in.factories().headers()
                .createRetryAfterHeader((int) Math.max(1, properties.retryAfter().toSeconds()));
        response.addHeader(retryAfter);
        return response;
    }

    private void send(IncomingRequest in, Response response) throws SipException {
        in.respond(response);
        metrics.answered(in.method(), response.getStatusCode());
    }

    /** Lookups still queued at shutdown are dropped (their clients retransmit to another replica). */
    @Override
    public void destroy() throws InterruptedException {
        lookups.shutdown();
        if (!lookups.awaitTermination(2, TimeUnit.SECONDS)) {
            lookups.shutdownNow();
        }
    }
}
