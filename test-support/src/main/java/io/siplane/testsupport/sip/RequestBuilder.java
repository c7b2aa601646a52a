package io.siplane.testsupport.sip;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Builds one request of a {@link TestUserAgent}: everything has a sensible default (From/To, tag, Call-ID, the
 * next CSeq of that Call-ID, Via with rport, Max-Forwards 70), and any header can be set as text.
 */
public final class RequestBuilder {

    private final TestUserAgent ua;
    private final String method;
    private final String requestUri;
    private String from;
    private String to;
    private String fromTag = TestUserAgent.newTag();
    private String callId;
    private Long cseq;
    private int maxForwards = 70;
    private final List<String> contacts = new ArrayList<>();
    private Integer expires;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private String contentType;
    private String body;

    RequestBuilder(TestUserAgent ua, String method, String requestUri) {
        this.ua = ua;
        this.method = method;
        this.requestUri = requestUri;
    }

    /** From address, e.g. {@code sip:alice@example.com} or {@code "Alice" <sip:alice@example.com>}. */
    public RequestBuilder from(String address) {
        this.from = address;
        return this;
    }

    public RequestBuilder to(String address) {
        this.to = address;
        return this;
    }

    public RequestBuilder fromTag(String tag) {
        this.fromTag = tag;
        return this;
    }

    public RequestBuilder callId(String callId) {
        this.callId = callId;
        return this;
    }

    /** An explicit CSeq number (default: the next one for this Call-ID). */
    public RequestBuilder cseq(long cseq) {
        this.cseq = cseq;
        return this;
    }

    public RequestBuilder maxForwards(int maxForwards) {
        this.maxForwards = maxForwards;
        return this;
    }

    /** Adds a Contact header value as on the wire: {@code <sip:a@127.0.0.1:5062>;expires=60;q=0.5}, or {@code *}. */
    public RequestBuilder contact(String value) {
        contacts.add(value);
        return this;
    }

    /** Adds this agent's own contact for {@code user}, with extra parameters like {@code ;q=0.7}. */
    public RequestBuilder ownContact(String user, String params) {
        return contact("<" + ua.contactUri(user) + ">" + params);
    }

    /** Drops the contacts added so far (e.g. the default one of {@link TestUserAgent#register}). */
    public RequestBuilder withoutContacts() {
        contacts.clear();
        return this;
    }

    /** Drops the Expires header (e.g. the default one of {@link TestUserAgent#register}). */
    public RequestBuilder withoutExpires() {
        expires = null;
        return this;
    }

    public RequestBuilder expires(int seconds) {
        this.expires = seconds;
        return this;
    }

    /**
     * Adds any header as text, e.g. {@code header("Supported", "path")}; repeated calls add more headers. A
     * {@code Via} goes below the agent's own, as if the request came from a client behind this agent (an edge).
     */
    public RequestBuilder header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    public RequestBuilder body(String contentType, String body) {
        this.contentType = contentType;
        this.body = body;
        return this;
    }

    public String callId() {
        if (callId == null) {
            callId = TestUserAgent.newCallId();
        }
        return callId;
    }

    public Request build() {
        try {
            var f = ua.factories();
            URI uri = f.addresses().createURI(requestUri);
            String fromText = from != null ? from : "sip:" + ua.defaultUser() + "@" + ua.host();
            String toText = to != null ? to : fromText;
            FromHeader fromHeader = f.headers().createFromHeader(address(fromText), fromTag);
            ToHeader toHeader = f.headers().createToHeader(address(toText), null);
            CallIdHeader callIdHeader = f.headers().createCallIdHeader(callId());
            long seq = cseq != null ? cseq : ua.nextCSeq(callId());
            CSeqHeader cseqHeader = f.headers().createCSeqHeader(seq, method);
            MaxForwardsHeader mf = f.headers().createMaxForwardsHeader(maxForwards);
            List<ViaHeader> vias = new ArrayList<>(List.of(ua.newVia()));
            for (Map.Entry<String, String> h : headers) {
                if (isVia(h.getKey())) {
                    vias.add((ViaHeader) f.headers().createHeader(ViaHeader.NAME, h.getValue()));
                }
            }
            Request request = f.messages().createRequest(uri, method, callIdHeader, cseqHeader, fromHeader, toHeader, vias, mf);
            for (String c : contacts) {
                request.addHeader(f.headers().createHeader("Contact", c));
            }
            if (expires != null) {
                request.addHeader(f.headers().createExpiresHeader(expires));
            }
            for (Map.Entry<String, String> h : headers) {
                if (!isVia(h.getKey())) {
                    Header header = f.headers().createHeader(h.getKey(), h.getValue());
                    request.addHeader(header);
                }
            }
            if (body != null) {
                String[] type = contentType.split("/", 2);
                ContentTypeHeader ct = f.headers().createContentTypeHeader(type[0], type.length > 1 ? type[1] : "plain");
                request.setContent(body, ct);
            }
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build " + method + ": " + e.getMessage(), e);
        }
    }

    /** Builds and sends through a client transaction; the final response. */
    public Response send() {
        return ua.send(build());
    }

    public CompletableFuture<Response> sendAsync() {
        return ua.sendAsync(build());
    }

    /** Builds and sends, answering one 401/407 challenge with {@code credentials}; the final response. */
    public Response send(Credentials credentials) {
        return ua.sendAuthenticated(build(), credentials);
    }

    public CompletableFuture<Response> sendAsync(Credentials credentials) {
        return ua.sendAuthenticatedAsync(build(), credentials);
    }


    private static boolean isVia(String name) {
        return ViaHeader.NAME.equalsIgnoreCase(name) || "v".equalsIgnoreCase(name);
    }

    private Address address(String text) throws ParseException {
        return ua.factories().addresses().createAddress(text);
    }
}
