package io.siplane.testsupport.torture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 4475 and RFC 5118 torture messages on the classpath ({@code rfc4475/*.dat}, listed in
 * {@code rfc4475/INDEX.tsv}).
 */
public final class TortureMessages {

    private static final String FOLDER = "rfc4475/";
    private static final List<TortureMessage> ALL = load();

    private TortureMessages() {
    }

    /** Every message: the 49 of RFC 4475, then the 12 of RFC 5118. */
    public static List<TortureMessage> all() {
        return ALL;
    }

    public static List<TortureMessage> rfc4475() {
        return ALL.stream().filter(m -> m.source().startsWith("RFC 4475")).toList();
    }

    public static List<TortureMessage> rfc5118() {
        return ALL.stream().filter(m -> m.source().startsWith("RFC 5118")).toList();
    }

    public static TortureMessage named(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no torture message " + name));
    }

    private static List<TortureMessage> load() {
        List<TortureMessage> messages = new ArrayList<>();
        try (BufferedReader index = new BufferedReader(new InputStreamReader(resource("INDEX.tsv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = index.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 4) {
                    throw new IllegalStateException("bad line in " + FOLDER + "INDEX.tsv: " + line);
                }
                byte[] bytes;
                try (InputStream in = resource(f[0] + ".dat")) {
                    bytes = in.readAllBytes();
                }
                messages.add(new TortureMessage(f[0], f[1], f[3], Expectation.parse(f[2]), bytes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(messages);
    }

    private static InputStream resource(String name) {
        InputStream in = TortureMessages.class.getClassLoader().getResourceAsStream(FOLDER + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + FOLDER + name);
        }
        return in;
    }
}
