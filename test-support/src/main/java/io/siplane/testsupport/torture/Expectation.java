package io.siplane.testsupport.torture;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a SIP server must do with a torture message (RFC 4475 §3.1.1 for well-formed messages, §3.1.2 for malformed
 * ones), as written in {@code rfc4475/INDEX.tsv}.
 *
 * @param kind         the rule
 * @param alsoAccepted statuses accepted besides the rule's own (e.g. 505 for an unknown SIP version)
 */
public record Expectation(Kind kind, Set<Integer> alsoAccepted) {

    public enum Kind {
        /** Well-formed: handled normally, i.e. a final answer that is neither 400 nor 500, or relayed on. */
        PROCESS,
        /** Malformed: 400 when an answer can be built, else dropped. */
        REJECT,
        /** The RFC allows a 400 or liberal processing; either way never a 500. */
        LENIENT,
        /** A response nobody asked for: dropped, never answered. */
        DISCARD
    }

    public Expectation {
        alsoAccepted = Set.copyOf(alsoAccepted);
    }

    /** {@code process}, {@code reject}, {@code reject:505,501}, {@code lenient}, {@code discard}. */
    public static Expectation parse(String text) {
        String[] parts = text.strip().split(":", 2);
        Kind kind = Kind.valueOf(parts[0].toUpperCase(Locale.ROOT));
        Set<Integer> extra = new TreeSet<>();
        if (parts.length == 2) {
            for (String code : parts[1].split(",")) {
                extra.add(Integer.parseInt(code.strip()));
            }
        }
        return new Expectation(kind, extra);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + (alsoAccepted.isEmpty() ? "" : ":" + alsoAccepted);
    }
}
