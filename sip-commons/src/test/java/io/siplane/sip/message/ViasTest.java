package io.siplane.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

import org.junit.jupiter.api.Test;

import io.siplane.sip.SipFactories;
import io.siplane.sip.Transport;

/** RFC 3581 received on the top Via, and no way for a client to choose its own. */
class ViasTest {

    private final SipFactories f = SipFactories.get();

    private Request request(String via) throws Exception {
        Request r = f.messages().createRequest(f.addresses().createURI("sip:example.com"), Request.REGISTER,
                f.headers().createCallIdHeader("vias-test"), f.headers().createCSeqHeader(1L, Request.REGISTER),
                f.headers().createFromHeader(f.addresses().createAddress("sip:a@example.com"), "t"),
                f.headers().createToHeader(f.addresses().createAddress("sip:a@example.com"), null),
                List.of((ViaHeader) f.headers().createHeader(ViaHeader.NAME, via)), f.headers().createMaxForwardsHeader(70));
        return r;
    }

    private static ViaHeader top(Request r) {
        return (ViaHeader) r.getHeader(ViaHeader.NAME);
    }

    @Test
    void receivedIsFilledFromThePacketSource() throws Exception {
        Request r = request("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport");
        Vias.applyReceived(r, new SourceAddress(Transport.UDP, "192.0.2.7", 40000));
        assertThat(top(r).getReceived()).isEqualTo("192.0.2.7");
    }

    @Test
    void aSentByEqualToTheSourceGetsNoReceived() throws Exception {
        Request r = request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1");
        Vias.applyReceived(r, new SourceAddress(Transport.UDP, "192.0.2.7", 5060));
        assertThat(top(r).getReceived()).isNull();
    }

    @Test
    void aReceivedTheClientWroteItselfIsReplacedByTheRealSource() throws Exception {
        // behind the gateway the registrar reads the client's address (for its lockout) from received: a forged one
        // would let a password guesser pose as a new source on every attempt
        Request r = request("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1;received=203.0.113.99");
        Vias.applyReceived(r, new SourceAddress(Transport.UDP, "192.0.2.7", 5060));
        assertThat(top(r).getReceived()).isEqualTo("192.0.2.7");
    }
}
