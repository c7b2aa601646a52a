package io.siplane.gateway.sip;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import io.siplane.gateway.membership.Prober;
import io.siplane.gateway.membership.TargetAddress;
import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;
import io.siplane.sip.transport.NextHop;
import io.siplane.sip.transport.SipSender;

/**
 * Probes a replica with OPTIONS (RFC 3261 §11), sent without a transaction: the probe's own timeout, not Timer F's
 * 32 s, decides that a replica is gone. Answers are recognised by their branch.
 */
public final class OptionsProber implements Prober {

    private final SipSender sender;
    private final GatewayAddresses addresses;
    private final Transport transport;
    private final Map<String, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String instance = UUID.randomUUID().toString().substring(0, 8);

    public OptionsProber(SipSender sender, GatewayAddresses addresses, Transport transport) {
        this.sender = sender;
        this.addresses = addresses;
        this.transport = transport;
    }

    @Override
    public CompletableFuture<Integer> probe(TargetAddress target) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        String branch = ViaBranches.PROBE_PREFIX + instance + Long.toHexString(sequence.incrementAndGet());
        pending.put(branch, answer);
        answer.whenComplete((status, error) -> pending.remove(branch));
        try {
            Request options = options(target, branch);
            sender.sendRequest(options, new NextHop(target.ip(), target.port(), transport));
        } catch (SipException | RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /** Completes the probe this response answers; false when it answers no probe of ours. */
    boolean onResponse(Response response) {
        ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (via == null || !ViaBranches.isProbe(via.getBranch())) {
            return false;
        }
        if (response.getStatusCode() >= 200) {
            Optional.ofNullable(pending.get(via.getBranch())).ifPresent(f -> f.complete(response.getStatusCode()));
        }
        return true;
    }

    private Request options(TargetAddress target, String branch) {
        SipFactories f = SipFactories.get();
        try {
            SipURI uri = f.addresses().createSipURI(null, target.ip());
            uri.setPort(target.port());
            SipURI self = f.addresses().createSipURI("gateway", addresses.internal());
            ViaHeader via = f.headers().createViaHeader(addresses.internal(), addresses.port(), transport.token(), branch);
            via.setRPort();
            return f.messages().createRequest(uri, Request.OPTIONS,
                    f.headers().createCallIdHeader("probe-" + branch.substring(ViaBranches.PROBE_PREFIX.length()) + "@" + addresses.internal()),
                    f.headers().createCSeqHeader(1L, Request.OPTIONS),
                    f.headers().createFromHeader(f.addresses().createAddress(self), instance),
                    f.headers().createToHeader(f.addresses().createAddress(uri), null),
                    List.of(via), f.headers().createMaxForwardsHeader(70));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build an OPTIONS probe for " + target, e);
        }
    }
}
