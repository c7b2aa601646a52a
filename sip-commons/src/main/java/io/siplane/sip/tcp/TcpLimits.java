package io.siplane.sip.tcp;

import java.time.Duration;
import java.util.Properties;

/**
 * What a TCP listening point accepts (see {@link GuardedServerSocket}).
 *
 * @param maxConnections        connections accepted at once ({@code sip.max-tcp-connections}); a new one beyond
 *                              it closes the connection that has been quiet longest
 * @param maxPerAddress         connections from one source address; a new one beyond it closes that address's
 *                              quietest connection, so one client cannot crowd out the others
 * @param idleTimeout           a connection that sends nothing for this long is closed (RFC 5626 clients send CRLF
 *                              keep-alives well within it)
 * @param messageTimeout        a message must arrive whole within this from its first byte: a client that trickles
 *                              bytes (slowloris) is cut off
 */
public record TcpLimits(int maxConnections, int maxPerAddress, Duration idleTimeout, Duration messageTimeout) {

    /** Stack property: connections per source address (default {@value #DEFAULT_PER_ADDRESS}). */
    public static final String MAX_PER_ADDRESS_PROPERTY = "io.siplane.sip.TCP_MAX_CONNECTIONS_PER_ADDRESS";
    /** Stack property: idle timeout in milliseconds (default 120000). */
    public static final String IDLE_TIMEOUT_PROPERTY = "io.siplane.sip.TCP_IDLE_TIMEOUT";
    /** Stack property: whole-message timeout in milliseconds (default 10000). */
    public static final String MESSAGE_TIMEOUT_PROPERTY = "io.siplane.sip.TCP_MESSAGE_TIMEOUT";
    static final int DEFAULT_PER_ADDRESS = 256;

    public TcpLimits {
        if (maxConnections < 1 || maxPerAddress < 1 || idleTimeout.toMillis() < 1 || messageTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("bad TCP limits: " + maxConnections + ", " + maxPerAddress + ", " + idleTimeout
                    + ", " + messageTimeout);
        }
    }

    /** From the stack's configuration: {@code gov.nist.javax.sip.MAX_CONNECTIONS} and the properties above. */
    public static TcpLimits from(Properties stack) {
        int max = Integer.parseInt(stack.getProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "4096"));
        return new TcpLimits(max <= 0 ? Integer.MAX_VALUE : max,
                Integer.parseInt(stack.getProperty(MAX_PER_ADDRESS_PROPERTY, String.valueOf(DEFAULT_PER_ADDRESS))),
                Duration.ofMillis(Long.parseLong(stack.getProperty(IDLE_TIMEOUT_PROPERTY, "120000"))),
                Duration.ofMillis(Long.parseLong(stack.getProperty(MESSAGE_TIMEOUT_PROPERTY, "10000"))));
    }
}
