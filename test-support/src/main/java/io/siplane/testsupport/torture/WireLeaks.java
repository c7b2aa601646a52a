package io.siplane.testsupport.torture;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what must never reach the wire (CONVENTIONS.md: "no stack trace ever reaches the wire"): Java stack frames,
 * exception or error class names, package-qualified class names of the JVM, the SIP stack or the platform.
 */
public final class WireLeaks {

    private static final List<Pattern> LEAKS = List.of(
            Pattern.compile("\\bat [\\w$.]+\\([\\w$]+\\.java:\\d+\\)"),
            Pattern.compile("\\.java:\\d+"),
            Pattern.compile("Caused by:"),
            Pattern.compile("\\b[A-Z]\\w*Exception\\b"),
            Pattern.compile("\\b(?:[A-Z][a-z0-9]+){2,}Error\\b"),
            Pattern.compile("\\b(?:java|javax|jakarta|gov\\.nist|io\\.siplane|org\\.springframework|io\\.lettuce|tools\\.jackson"
                    + "|com\\.fasterxml|io\\.github\\.resilience4j)\\.[a-z][\\w$]*(?:\\.[\\w$]+)+"));

    private WireLeaks() {
    }

    /** The first leak in {@code text}, as found. */
    public static Optional<String> find(String text) {
        for (Pattern p : LEAKS) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                return Optional.of(m.group());
            }
        }
        return Optional.empty();
    }

    public static Optional<String> find(SipPacket packet) {
        return find(packet.text());
    }
}
