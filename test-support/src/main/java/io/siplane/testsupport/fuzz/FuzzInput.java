package io.siplane.testsupport.fuzz;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One generated input: a seed, the mutations applied to it, the transport, and the resulting bytes (a template, see
 * {@link FuzzSeeds}).
 */
public record FuzzInput(String seed, List<Mutation> mutations, String transport, byte[] template) {

    /** The most a single input may weigh: large enough for every limit, small enough for a loop of 100,000. */
    public static final int MAX_BYTES = 256 * 1024;

    public FuzzInput {
        mutations = List.copyOf(mutations);
        template = template.clone();
    }

    public static FuzzInput of(FuzzSeeds.Seed seed, List<Mutation> mutations, String transport) {
        byte[] bytes = seed.bytes();
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
            if (bytes.length > MAX_BYTES) {
                bytes = java.util.Arrays.copyOf(bytes, MAX_BYTES);
            }
        }
        return new FuzzInput(seed.name(), mutations, transport, bytes);
    }

    @Override
    public byte[] template() {
        return template.clone();
    }

    /** For failure reports: what was done, and the bytes in hex. */
    public String describe() {
        return this + "\n  " + HexFormat.of().formatHex(template, 0, Math.min(template.length, 4096))
                + (template.length > 4096 ? "... (" + template.length + " bytes)" : "");
    }

    @Override
    public String toString() {
        return transport + " " + seed + " " + mutations.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"))
                + " (" + template.length + " bytes)";
    }
}
