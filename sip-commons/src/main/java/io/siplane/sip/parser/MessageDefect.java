package io.siplane.sip.parser;

/**
 * What is wrong with a request that JAIN-SIP RI parsed anyway: the dispatcher answers it with {@link #status()} and
 * {@link #reason()} (fixed text, nothing of the request in it) instead of handing it to a handler.
 *
 * @param status 400 or 505
 * @param reason the reason phrase
 */
public record MessageDefect(int status, String reason) {

    /** RFC 3261 §8.2.1 and §21.5.14; RFC 4475 §3.1.2.16: the RI reads any version as SIP/2.0. */
    static MessageDefect versionNotSupported() {
        return new MessageDefect(505, "Version Not Supported");
    }

    /** RFC 4475 §3.3.8 and §3.3.9: the RI keeps the first of several values of a single-value header field. */
    static MessageDefect repeated(String header) {
        return new MessageDefect(400, "Bad Request (more than one " + header + ")");
    }

    /** RFC 3261 §25 (and RFC 5118 §4.2 for hosts): a numeric field or a URI host/port out of grammar or range. */
    static MessageDefect badField(String reason) {
        return new MessageDefect(400, reason);
    }
}
