package io.siplane.sip.parser;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/** JAIN-SIP {@code MESSAGE_PARSER_FACTORY}: the RI's parser behind a {@link GuardedMessageParser}. */
public class GuardedMessageParserFactory implements MessageParserFactory {

    private final StringMsgParserFactory standard = new StringMsgParserFactory();

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new GuardedMessageParser(standard.createMessageParser(stack));
    }
}
