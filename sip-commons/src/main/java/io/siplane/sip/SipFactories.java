package io.siplane.sip;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/** The JAIN-SIP factories for addresses, headers and messages. They are stateless and shared. */
public record SipFactories(AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {

    private static final SipFactories INSTANCE = create();

    public static SipFactories get() {
        return INSTANCE;
    }

    private static SipFactories create() {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        try {
            return new SipFactories(factory.createAddressFactory(), factory.createHeaderFactory(), factory.createMessageFactory());
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException("the JAIN-SIP reference implementation is not on the classpath", e);
        }
    }
}
