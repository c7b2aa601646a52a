package io.siplane.testsupport.fuzz;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of mutated SIP messages (issue 8: truncation, header duplication, huge values, bad encodings,
 * Content-Length lies, NUL bytes, random byte flips, and a few more ways to break a message).
 */
public final class SipFuzz {

    private SipFuzz() {
    }

    /** Inputs built from {@code seeds}: 1 to 4 mutations each, 4 in 5 over UDP and 1 in 5 over TCP. */
    public static Arbitrary<FuzzInput> inputs(List<FuzzSeeds.Seed> seeds) {
        return Combinators.combine(
                Arbitraries.of(seeds),
                mutation().list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("UDP")), Tuple.of(1, Arbitraries.just("TCP"))))
                .as(FuzzInput::of);
    }

    @SuppressWarnings("unchecked")
    public static Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 10_000);
        return Arbitraries.frequencyOf(
                Tuple.of(3, at.map(Mutation.Truncate::new)),
                Tuple.of(3, Combinators.combine(at, Arbitraries.integers().between(2, 40)).as(Mutation.DuplicateHeader::new)),
                Tuple.of(2, Combinators.combine(at, Arbitraries.integers().between(100, 60_000),
                        Arbitraries.of('a', '%', '"', ',', ';', '<', ' ', '\t', '9', '\\')).as(Mutation.HugeValue::new)),
                Tuple.of(3, Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(Mutation.BadEncoding::new)),
                Tuple.of(2, Arbitraries.of("-1", "-999", "0", "99999999", "2147483647", "2147483648", "4294967296",
                        "99999999999999999999", "abc", "", " 7 ", "0x10", "1e3", "+5", "5, 6", "10485760").map(Mutation.ContentLengthLie::new)),
                Tuple.of(2, Arbitraries.integers().between(-200, 200).map(Mutation.ContentLengthOff::new)),
                Tuple.of(3, Combinators.combine(at, Arbitraries.integers().between(1, 8)).as(Mutation.NulBytes::new)),
                Tuple.of(5, Combinators.combine(at.list().ofMinSize(1).ofMaxSize(8), Arbitraries.integers().between(1, 255))
                        .as(Mutation.ByteFlips::new)),
                Tuple.of(2, at.map(Mutation.DeleteHeader::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 3).map(Mutation.LineEnds::new)),
                Tuple.of(3, Combinators.combine(at, Arbitraries.of(" ", "\t", "\r\n ", "\r\n", ";", ",", ":", "<", ">", "\"", "%",
                        "%00", "\\", "=", "@", "[", "]", "[::", "\r\n\r\n", " SIP/2.0", ";branch=", ";tag=", ";expires=-1",
                        ";q=9.99", ";received=", ";lr", "?", "sips:", "tel:", "\r\nVia: SIP/2.0/UDP 127.0.0.1:" + FuzzSeeds.REPLY_PORT
                                + "\r\n", "\r\nContent-Length: 5\r\n", "\r\nExpires: 4294967296\r\n", "\r\nMax-Forwards: 0\r\n",
                        "\r\nCSeq: 1 INVITE\r\n", "\r\nTo: sip:x@y\r\n")).as(Mutation.Insert::new)),
                Tuple.of(1, Combinators.combine(at, at).as(Mutation.SwapLines::new)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(2000).map(Mutation.Garbage::new)));
    }
}
