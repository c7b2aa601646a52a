package io.siplane.testsupport.sip;

import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A real SIP user agent for integration tests, on its own JAIN-SIP stack bound to 127.0.0.1 over UDP or TCP.
 *
 * <ul>
 *   <li>send any request through a client transaction and get its final response ({@link #send}, {@link #sendAsync}),
 *       following one digest challenge with MD5 or SHA-256 ({@link #sendAuthenticated});</li>
 *   <li>send a request with no transaction, e.g. to retransmit it by hand ({@link #sendStateless}), and read the
 *       responses that match no transaction ({@link #awaitStatelessResponse});</li>
 *   <li>receive requests and answer them ({@link #awaitRequest}, {@link #answerRequestsWith}).</li>
 * </ul>
 * Requests go to the {@link #sendingTo default target}, or to a target given per send. One agent can act for many
 * users at once: it keeps a Call-ID per registered AOR and the CSeq per Call-ID.
 */
public final class TestUserAgent implements SipListener, AutoCloseable {

    /** The JAIN-SIP factories the agent builds messages with. */
    public record Factories(AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(40);
    private static final String LOOPBACK = "127.0.0.1";
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /**
     * The project's one RI router, sip-commons' {@code io.siplane.sip.transport.HopRouter}: a request goes to the hop
     * stored on it as the RI's application data, else where Route / Request-URI say (RFC 3261 §8.1.2). Named, not
     * imported: test-support is built before sip-commons (whose tests use it), so it is there at run time only.
     */
    private static final String HOP_ROUTER = "io.siplane.sip.transport.HopRouter";

    private final String transport;
    private final String host;
    private final int port;
    private final Factories factories;
    private final SipStack stack;
    private final SipProvider provider;
    private volatile SipTarget defaultTarget;
    private final Set<Thread> scannerThreads;
    private final Map<ClientTransaction, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final Map<String, ClientTransaction> sentByBranch = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Response>> responsesByBranch = new ConcurrentHashMap<>();
    private final Map<String, ReceivedRequest> invitesByBranch = new ConcurrentHashMap<>();
    private final BlockingQueue<Response> strayResponses = new LinkedBlockingQueue<>();
    private final BlockingQueue<ReceivedRequest> received = new LinkedBlockingQueue<>();
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requestsReceived = new AtomicInteger();
    private final Map<String, AtomicLong> cseqByCallId = new ConcurrentHashMap<>();
    private final Map<String, String> callIdByAor = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ncByNonce = new ConcurrentHashMap<>();
    private volatile Function<Request, Integer> autoAnswer;
    private volatile String defaultUser = "test";

    private TestUserAgent(String transport, String host, int port) {
        this(transport, host, port, new Properties());
    }

    private TestUserAgent(String transport, String host, int port, Properties extra) {
        this.transport = transport.toLowerCase(Locale.ROOT);
        this.host = host;
        this.port = port;
        SipFactory sipFactory = SipFactory.getInstance();
        try {
            this.factories = new Factories(sipFactory.createAddressFactory(), sipFactory.createHeaderFactory(),
                    sipFactory.createMessageFactory());
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException(e);
        }
        requireHopRouter();
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "test-ua-" + INSTANCES.incrementAndGet() + "-" + port);
        p.setProperty("javax.sip.ROUTER_PATH", HOP_ROUTER);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG4J_LOGGER_NAME", "gov.nist.javax.sip.stack");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.putAll(extra);
        // the RI creates a non-daemon EventScannerThread with the stack and never ends it: remember ours
        synchronized (sipFactory) {
            sipFactory.setPathName("gov.nist");
            Set<Thread> before = scannerThreads();
            try {
                this.stack = sipFactory.createSipStack(p);
            } catch (PeerUnavailableException e) {
                throw new IllegalStateException(e);
            }
            Set<Thread> mine = new HashSet<>(scannerThreads());
            mine.removeAll(before);
            this.scannerThreads = mine;
        }
        try {
            ListeningPoint lp = stack.createListeningPoint(host, port, this.transport);
            this.provider = stack.createSipProvider(lp);
            provider.addSipListener(this);
            stack.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("test user agent cannot listen on " + host + ":" + port + "/" + transport, e);
        }
    }

    private static void requireHopRouter() {
        try {
            Class.forName(HOP_ROUTER, false, TestUserAgent.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("TestUserAgent routes with sip-commons' HopRouter: add sip-commons to the test "
                    + "class path of this module", e);
        }
    }

    /** Marks where {@code request} goes: {@code target}, else the default target, else (unmarked) where it says. */
    private void aim(Request request, SipTarget target) {
        SipTarget to = target != null ? target : defaultTarget;
        if (to != null) {
            ((gov.nist.javax.sip.message.SIPMessage) request)
                    .setApplicationData(new gov.nist.javax.sip.stack.HopImpl(to.host(), to.port(), transport));
        }
    }

    /** An agent on a free UDP port. */
    public static TestUserAgent udp() {
        return start("udp", SipPorts.freeUdpAndTcpPort());
    }

    /** An agent on a free TCP port. */
    public static TestUserAgent tcp() {
        return start("tcp", SipPorts.freeUdpAndTcpPort());
    }

    /**
     * An agent over TLS on a free port that trusts the certificates in {@code trustStore} (PKCS12, {@code password}) and
     * nothing else: TLS 1.3/1.2 with modern suites only (JAIN-SIP's own defaults are obsolete ones).
     */
    public static TestUserAgent tls(java.nio.file.Path trustStore, String password) {
        Properties p = new Properties();
        // the RI's SslNetworkLayer needs a key store; a client without a certificate of its own gives the trust store
        p.setProperty("javax.net.ssl.keyStore", trustStore.toString());
        p.setProperty("javax.net.ssl.keyStorePassword", password);
        p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
        p.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        p.setProperty("javax.net.ssl.trustStorePassword", password);
        p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES",
                "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        return new TestUserAgent("tls", LOOPBACK, SipPorts.freeUdpAndTcpPort(), p);
    }

    /** An agent on a free port of {@code transport} ({@code udp} or {@code tcp}). */
    public static TestUserAgent start(String transport) {
        return start(transport, SipPorts.freeUdpAndTcpPort());
    }

    public static TestUserAgent start(String transport, int port) {
        return new TestUserAgent(transport, LOOPBACK, port);
    }

    /**
     * An agent on another loopback address ({@code 127.0.0.2}, …: all of 127/8 is loopback on Linux), so that a
     * test can act as a distinct source address (per-source limits, lockouts).
     */
    public static TestUserAgent onAddress(String transport, String loopbackAddress) {
        return new TestUserAgent(transport, loopbackAddress, freePortOn(loopbackAddress));
    }

    /**
     * An agent on {@code loopbackAddress}:{@code port}: several agents on different loopback addresses can share one
     * port, as replicas behind one DNS name do (each A record one replica, one port for all).
     */
    public static TestUserAgent onAddress(String transport, String loopbackAddress, int port) {
        return new TestUserAgent(transport, loopbackAddress, port);
    }

    /** Sends every request to {@code target} unless a send names another. */
    public TestUserAgent sendingTo(SipTarget target) {
        this.defaultTarget = target;
        return this;
    }

    public TestUserAgent sendingTo(int loopbackPort) {
        return sendingTo(SipTarget.loopback(loopbackPort));
    }

    /** The user part of the default From and of {@link #contactUri(String)} when none is given. */
    public TestUserAgent defaultUser(String user) {
        this.defaultUser = user;
        return this;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String transport() {
        return transport;
    }

    public String defaultUser() {
        return defaultUser;
    }

    public Factories factories() {
        return factories;
    }

    /** This agent's contact for {@code user}: {@code sip:user@127.0.0.1:port;transport=…}. */
    public String contactUri(String user) {
        return "sip:" + user + "@" + host + ":" + port + ";transport=" + transport;
    }

    /** A request to build; see {@link RequestBuilder}. */
    public RequestBuilder request(String method, String requestUri) {
        return new RequestBuilder(this, method, requestUri);
    }

    /**
     * A REGISTER for {@code user@domain} (RFC 3261 §10.2): Request-URI {@code sip:domain}, From = To = the AOR,
     * the same Call-ID for every registration of that AOR from this agent, this agent's contact, Expires 3600.
     */
    public RequestBuilder register(String user, String domain) {
        String aor = "sip:" + user + "@" + domain;
        return request(Request.REGISTER, "sip:" + domain)
                .from(aor).to(aor)
                .callId(callIdByAor.computeIfAbsent(aor, k -> newCallId()))
                .ownContact(user, "")
                .expires(3600);
    }

    /** The Call-ID this agent uses for the registrations of an AOR ({@code sip:user@domain}). */
    public String registrationCallId(String aor) {
        return callIdByAor.computeIfAbsent(aor, k -> newCallId());
    }

    public Response send(Request request) {
        return await(sendAsync(request));
    }

    public CompletableFuture<Response> sendAsync(Request request) {
        return sendAsync(request, null);
    }

    /** Sends through a client transaction (retransmissions over UDP, timeout as a failed future). */
    public CompletableFuture<Response> sendAsync(Request request, SipTarget target) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        try {
            aim(request, target);
            ClientTransaction ct = provider.getNewClientTransaction(request);
            pending.put(ct, future);
            String branch = ct.getBranchId();
            sentByBranch.put(branch, ct);
            responsesByBranch.put(branch, new java.util.concurrent.CopyOnWriteArrayList<>());
            ct.sendRequest();
        } catch (SipException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    public Response sendAuthenticated(Request request, Credentials credentials) {
        return await(sendAuthenticatedAsync(request, credentials));
    }

    /** Sends; on 401/407 answers the challenge for the credentials' algorithm once and returns the next final response. */
    public CompletableFuture<Response> sendAuthenticatedAsync(Request request, Credentials credentials) {
        return sendAsync(request).thenCompose(first -> {
            int status = first.getStatusCode();
            if (status != Response.UNAUTHORIZED && status != Response.PROXY_AUTHENTICATION_REQUIRED) {
                return CompletableFuture.completedFuture(first);
            }
            return sendAsync(authorize(request, first, credentials));
        });
    }

    /**
     * The follow-up of {@code original} answering {@code challenge} (RFC 3261 §22.2): same Call-ID, next CSeq, new
     * branch, an Authorization (or Proxy-Authorization) for the credentials' algorithm with the next nonce-count.
     */
    public Request authorize(Request original, Response challenge, Credentials credentials) {
        WWWAuthenticateHeader c = DigestClient.challengeFor(challenge, credentials.algorithm())
                .orElseThrow(() -> new IllegalStateException("no " + credentials.algorithm() + " challenge in " + challenge));
        long nc = ncByNonce.computeIfAbsent(c.getNonce(), k -> new AtomicLong()).incrementAndGet();
        return authorize(original, challenge, credentials, nc);
    }

    /** Same with an explicit nonce-count (to test replays). */
    public Request authorize(Request original, Response challenge, Credentials credentials, long nc) {
        WWWAuthenticateHeader c = DigestClient.challengeFor(challenge, credentials.algorithm())
                .orElseThrow(() -> new IllegalStateException("no " + credentials.algorithm() + " challenge in " + challenge));
        Request next = followUp(original);
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        next.removeHeader(proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME);
        next.addHeader(DigestClient.authorization(factories.headers(), next, c, credentials, nc, DigestClient.newCnonce(), proxy));
        return next;
    }

    /** A copy of {@code original} with a fresh top Via branch and a CSeq above both its own and any used on its Call-ID. */
    public Request followUp(Request original) {
        Request next = (Request) original.clone();
        try {
            CSeqHeader cseq = (CSeqHeader) next.getHeader(CSeqHeader.NAME);
            String callId = ((CallIdHeader) next.getHeader(CallIdHeader.NAME)).getCallId();
            long after = cseq.getSeqNumber();
            cseq.setSeqNumber(cseqByCallId.computeIfAbsent(callId, k -> new AtomicLong()).updateAndGet(v -> Math.max(v, after) + 1));
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
        // only our own (topmost) Via is new: Vias below it stay, as for a request relayed by an edge
        next.removeFirst(ViaHeader.NAME);
        try {
            next.addFirst(newVia());
        } catch (SipException e) {
            throw new IllegalStateException(e);
        }
        return next;
    }

    /** Every response received so far for a request sent through {@link #sendAsync}: provisional and final, in order. */
    public java.util.List<Response> responsesTo(Request sent) {
        java.util.List<Response> all = responsesByBranch.get(branchOf(sent));
        return all == null ? java.util.List.of() : java.util.List.copyOf(all);
    }

    /**
     * Cancels an INVITE sent through {@link #sendAsync} (RFC 3261 §9.1: same branch, sent where the INVITE went);
     * the future is the CANCEL's own final response, the INVITE's future gets the 487.
     */
    public CompletableFuture<Response> cancel(Request invite) {
        ClientTransaction inviteTx = sentByBranch.get(branchOf(invite));
        if (inviteTx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("that INVITE was not sent by this agent"));
        }
        CompletableFuture<Response> future = new CompletableFuture<>();
        try {
            Request cancel = inviteTx.createCancel();
            ((gov.nist.javax.sip.message.SIPMessage) cancel)
                    .setApplicationData(((gov.nist.javax.sip.message.SIPMessage) inviteTx.getRequest()).getApplicationData());
            ClientTransaction cancelTx = provider.getNewClientTransaction(cancel);
            pending.put(cancelTx, future);
            cancelTx.sendRequest();
        } catch (SipException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * The ACK for a 2xx to an INVITE (RFC 3261 §13.2.2.4: a new transaction, end to end): Request-URI = the 2xx's
     * Contact, To with its tag, same Call-ID and CSeq number, Route from its Record-Route in reverse order.
     */
    public Request ackFor(Request invite, Response ok) {
        try {
            javax.sip.header.ContactHeader contact = (javax.sip.header.ContactHeader) ok.getHeader(javax.sip.header.ContactHeader.NAME);
            javax.sip.address.URI target = contact != null ? contact.getAddress().getURI() : invite.getRequestURI();
            CSeqHeader cseq = factories.headers().createCSeqHeader(((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber(), Request.ACK);
            Request ack = factories.messages().createRequest(target, Request.ACK,
                    (CallIdHeader) invite.getHeader(CallIdHeader.NAME), cseq,
                    (javax.sip.header.FromHeader) invite.getHeader(javax.sip.header.FromHeader.NAME),
                    (javax.sip.header.ToHeader) ok.getHeader(javax.sip.header.ToHeader.NAME),
                    java.util.List.of(newVia()), factories.headers().createMaxForwardsHeader(70));
            java.util.List<javax.sip.header.RecordRouteHeader> recordRoutes = new java.util.ArrayList<>();
            ok.getHeaders(javax.sip.header.RecordRouteHeader.NAME).forEachRemaining(h -> recordRoutes.add((javax.sip.header.RecordRouteHeader) h));
            java.util.Collections.reverse(recordRoutes);
            for (javax.sip.header.RecordRouteHeader rr : recordRoutes) {
                ack.addHeader(factories.headers().createRouteHeader(rr.getAddress()));
            }
            return ack;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build the ACK: " + e.getMessage(), e);
        }
    }

    /** Sends the ACK for a 2xx where RFC 3261 says: the first Route if any, else the 2xx's Contact. */
    public void ack(Request invite, Response ok) {
        Request ack = ackFor(invite, ok);
        javax.sip.header.RouteHeader route = (javax.sip.header.RouteHeader) ack.getHeader(javax.sip.header.RouteHeader.NAME);
        javax.sip.address.SipURI next = (javax.sip.address.SipURI) (route != null ? route.getAddress().getURI() : ack.getRequestURI());
        sendStateless(ack, new SipTarget(next.getHost(), next.getPort() > 0 ? next.getPort() : 5060));
    }

    /** Sends without a transaction to {@code target}, whatever the default target. */
    public void sendStateless(Request request, SipTarget target) {
        try {
            aim(request, target);
            provider.sendRequest(request);
        } catch (SipException e) {
            throw new IllegalStateException("cannot send " + request.getMethod() + ": " + e.getMessage(), e);
        }
    }

    private static String branchOf(Request request) {
        return ((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch();
    }

    /** Sends without a transaction (no retransmission); sending the same object again is a retransmission. */
    public void sendStateless(Request request) {
        try {
            if (!(((gov.nist.javax.sip.message.SIPMessage) request).getApplicationData() instanceof javax.sip.address.Hop)) {
                aim(request, null);
            }
            provider.sendRequest(request);
        } catch (SipException e) {
            throw new IllegalStateException("cannot send " + request.getMethod() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code request} without a transaction and retransmits the very same message every T1 = 500 ms
     * (RFC 3261 §17.1.2.2, timer E) until a response that matches no transaction comes back; returns it.
     */
    public Response sendStatelessUntilAnswered(Request request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            sendStateless(request);
            try {
                Response response = strayResponses.poll(500, TimeUnit.MILLISECONDS);
                if (response != null) {
                    return response;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no response to " + request.getMethod() + " within " + timeout);
    }

    /** Every response matching no client transaction that arrives within {@code window} (none: an empty list). */
    public java.util.List<Response> statelessResponsesWithin(Duration window) {
        java.util.List<Response> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try {
            for (Response r; (r = strayResponses.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
                out.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** The next response that matched no client transaction (answers to {@link #sendStateless}). */
    public Response awaitStatelessResponse(Duration timeout) {
        return poll(strayResponses, timeout, "response");
    }

    /** The next request received that {@link #answerRequestsWith} did not answer. */
    public ReceivedRequest awaitRequest(Duration timeout) {
        ReceivedRequest r = poll(received, timeout, "request");
        handedOut.add(identity(r));
        return r;
    }

    /**
     * The next request received, which must be a {@code method}: retransmissions of requests already returned are
     * skipped (over UDP a request is sent again until its first response, e.g. an INVITE the test has not answered yet
     * within T1), any other request fails.
     */
    public ReceivedRequest awaitRequest(String method, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ReceivedRequest r = poll(received, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), method);
            if (!handedOut.add(identity(r))) {
                continue;
            }
            if (!r.method().equals(method)) {
                throw new IllegalStateException("expected a " + method + ", received " + r.request());
            }
            return r;
        }
    }

    /** RFC 3261 §17.2.3: a request is the same one again when method, top Via branch, Call-ID and CSeq are. */
    private static String identity(ReceivedRequest r) {
        Request request = r.request();
        return r.method() + " " + ((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch() + " "
                + ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId() + " "
                + ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    /**
     * How many requests reached this agent, those {@link #answerRequestsWith} answered included (they are not queued for
     * {@link #awaitRequest}): what an agent that must receive nothing checks.
     */
    public int requestsReceived() {
        return requestsReceived.get();
    }

    /** Answers every incoming request (except ACK) with the status the function returns, instead of queueing it. */
    public void answerRequestsWith(Function<Request, Integer> statusFor) {
        this.autoAnswer = statusFor;
    }

    @Override
    public void processRequest(RequestEvent event) {
        requestsReceived.incrementAndGet();
        ReceivedRequest r = new ReceivedRequest(event, factories, contactUri(defaultUser));
        String branch = ((ViaHeader) event.getRequest().getHeader(ViaHeader.NAME)).getBranch();
        if (Request.INVITE.equals(r.method()) && branch != null) {
            invitesByBranch.put(branch, r);
        }
        if (Request.CANCEL.equals(r.method())) {
            // RFC 3261 §9.2: 200 to the CANCEL, then 487 to the INVITE it matches (same branch) if still unanswered
            r.respond(Response.OK);
            ReceivedRequest invite = branch == null ? null : invitesByBranch.get(branch);
            if (invite != null && !invite.finalResponseSent()) {
                invite.respond(Response.REQUEST_TERMINATED);
            }
            received.add(r);
            return;
        }
        Function<Request, Integer> answer = autoAnswer;
        if (answer != null && !Request.ACK.equals(r.method())) {
            r.respond(answer.apply(event.getRequest()));
        } else {
            received.add(r);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null) {
            strayResponses.add(response);
            return;
        }
        java.util.List<Response> all = responsesByBranch.get(ct.getBranchId());
        if (all != null) {
            all.add(response);
        }
        if (response.getStatusCode() >= 200) {
            CompletableFuture<Response> f = pending.remove(ct);
            if (f != null) {
                f.complete(response);
            }
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.getClientTransaction() != null) {
            CompletableFuture<Response> f = pending.remove(event.getClientTransaction());
            if (f != null) {
                f.completeExceptionally(new TimeoutException("no final response to "
                        + event.getClientTransaction().getRequest().getMethod()));
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        // the transaction times out and reports it
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing kept per transaction once its final response is in
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // no dialogs: AUTOMATIC_DIALOG_SUPPORT is off
    }

    /** Stops the stack and its threads. */
    @Override
    public void close() {
        try {
            stopStack();
        } finally {
            scannerThreads.forEach(Thread::interrupt);
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("user agent closed")));
    }

    /**
     * The RI's {@code UDPMessageProcessor.stop} walks its list of channel threads while those threads, woken by the
     * closed socket, remove themselves from it: now and then a {@link java.util.ConcurrentModificationException}
     * (seen in CI, after the test's assertions had passed). The socket is closed by then; stopping once more finishes
     * the rest of the stack.
     */
    private void stopStack() {
        try {
            stack.stop();
        } catch (java.util.ConcurrentModificationException e) {
            stack.stop();
        }
    }

    ViaHeader newVia() {
        try {
            ViaHeader via = factories.headers().createViaHeader(host, port, transport, "z9hG4bK" + UUID.randomUUID());
            via.setRPort();
            return via;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    long nextCSeq(String callId) {
        return cseqByCallId.computeIfAbsent(callId, k -> new AtomicLong()).incrementAndGet();
    }

    static String newCallId() {
        return UUID.randomUUID() + "@" + LOOPBACK;
    }

    static String newTag() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    private static Response await(CompletableFuture<Response> future) {
        try {
            return future.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no final response within " + DEFAULT_TIMEOUT, e);
        }
    }

    private static <T> T poll(BlockingQueue<T> queue, Duration timeout, String what) {
        try {
            T item = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new IllegalStateException("no " + what + " within " + timeout);
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePortOn(String address) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free port on " + address, e);
        }
    }

    private static Set<Thread> scannerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> "EventScannerThread".equals(t.getName()))
                .collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return "TestUserAgent[" + host + ":" + port + "/" + transport + "]";
    }
}
