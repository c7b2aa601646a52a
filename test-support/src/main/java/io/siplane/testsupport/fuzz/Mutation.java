package io.siplane.testsupport.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One change to a valid SIP message. Positions are given in ten-thousandths of the message (or of its header lines),
 * so that one mutation applies to any message and reads the same in a failure report.
 */
public sealed interface Mutation {

    byte[] apply(byte[] message);

    /** Cut the message short. */
    record Truncate(int at) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return Arrays.copyOf(m, scale(at, m.length));
        }
    }

    /** Repeat one header line {@code times} times in place. */
    record DuplicateHeader(int line, int times) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return Lines.of(m).editHeader(line, l -> String.join("", java.util.Collections.nCopies(times, l))).bytes();
        }
    }

    /** Make one header value huge: {@code size} copies of {@code fill} appended to it. */
    record HugeValue(int line, int size, char fill) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return Lines.of(m).editHeader(line, l -> l.substring(0, l.length() - 2) + String.valueOf(fill).repeat(size) + "\r\n")
                    .bytes();
        }
    }

    /** Insert bytes that are not UTF-8 (lone continuation bytes, overlong forms, surrogates, 0xFF). */
    record BadEncoding(int at, int kind) implements Mutation {
        private static final byte[][] SEQUENCES = {
                {(byte) 0xC3, 0x28}, {(byte) 0xA0, (byte) 0xA1}, {(byte) 0xE2, 0x28, (byte) 0xA1}, {(byte) 0xF0, 0x28, (byte) 0x8C, 0x28},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xF8, (byte) 0x88,
                        (byte) 0x80, (byte) 0x80, (byte) 0x80}};

        @Override
        public byte[] apply(byte[] m) {
            return insert(m, scale(at, m.length), SEQUENCES[Math.floorMod(kind, SEQUENCES.length)]);
        }
    }

    /** Replace every Content-Length value (or add one) with a lie: negative, huge, off by some, not a number. */
    record ContentLengthLie(String value) implements Mutation {
        private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^((?:content-length|l)[ \\t]*:[ \\t]*)[^\\r\\n]*");

        @Override
        public byte[] apply(byte[] m) {
            String text = new String(m, StandardCharsets.ISO_8859_1);
            Matcher cl = CONTENT_LENGTH.matcher(text);
            String out = cl.find() ? cl.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + value))
                    : text.replaceFirst("\r\n", Matcher.quoteReplacement("\r\nContent-Length: " + value + "\r\n"));
            return out.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Content-Length set to the real body length plus {@code delta} (a lie by a little or a lot). */
    record ContentLengthOff(int delta) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            String text = new String(m, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            int body = end < 0 ? 0 : text.length() - end - 4;
            return new ContentLengthLie(String.valueOf(body + delta)).apply(m);
        }
    }

    /** NUL bytes somewhere. */
    record NulBytes(int at, int count) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return insert(m, scale(at, m.length), new byte[count]);
        }
    }

    /** XOR a few bytes with random masks. */
    record ByteFlips(List<Integer> positions, int mask) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            byte[] out = m.clone();
            if (out.length == 0) {
                return out;
            }
            int x = mask == 0 ? 1 : mask;
            for (int p : positions) {
                int i = scale(p, out.length - 1);
                out[i] ^= (byte) x;
                x = x * 31 + 7 & 0xFF;
                if (x == 0) {
                    x = 0x5A;
                }
            }
            return out;
        }
    }

    /** Remove one header line (a mandatory one, sometimes). */
    record DeleteHeader(int line) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return Lines.of(m).editHeader(line, l -> "").bytes();
        }
    }

    /** Line ends other than CRLF: 0 = LF, 1 = CR, 2 = LF CR, 3 = CRCRLF. */
    record LineEnds(int style) implements Mutation {
        private static final String[] ENDS = {"\n", "\r", "\n\r", "\r\r\n"};

        @Override
        public byte[] apply(byte[] m) {
            String text = new String(m, StandardCharsets.ISO_8859_1);
            return text.replace("\r\n", ENDS[Math.floorMod(style, ENDS.length)]).getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Whitespace, folding or separators where they are legal or not: {@code fragment} inserted at a position. */
    record Insert(int at, String fragment) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return insert(m, scale(at, m.length), fragment.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Swap two header lines (e.g. a Via below the Content-Length, the request line in the middle). */
    record SwapLines(int a, int b) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return Lines.of(m).swap(a, b).bytes();
        }
    }

    /** Nothing of the message: random bytes. */
    record Garbage(byte[] bytes) implements Mutation {
        @Override
        public byte[] apply(byte[] m) {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return "Garbage[" + bytes.length + " bytes]";
        }
    }

    private static int scale(int tenThousandths, int length) {
        return (int) Math.min(length, (long) length * Math.max(0, tenThousandths) / 10_000);
    }

    private static byte[] insert(byte[] m, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length + what.length);
        out.write(m, 0, at);
        out.writeBytes(what);
        out.write(m, at, m.length - at);
        return out.toByteArray();
    }

    /** The header lines of a message (start line excluded) with the rest kept as it is. */
    final class Lines {
        private final String start;
        private final List<String> headers;
        private final String rest;

        private Lines(String start, List<String> headers, String rest) {
            this.start = start;
            this.headers = headers;
            this.rest = rest;
        }

        static Lines of(byte[] m) {
            String text = new String(m, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end + 2);
            String rest = end < 0 ? "" : text.substring(end + 2);
            List<String> lines = new ArrayList<>();
            int from = 0;
            while (from < head.length()) {
                int eol = head.indexOf("\r\n", from);
                int to = eol < 0 ? head.length() : eol + 2;
                lines.add(head.substring(from, to));
                from = to;
            }
            String start = lines.isEmpty() ? "" : lines.remove(0);
            return new Lines(start, lines, rest);
        }

        Lines editHeader(int line, java.util.function.UnaryOperator<String> edit) {
            if (!headers.isEmpty()) {
                int i = scale(line, headers.size() - 1);
                String l = headers.get(i);
                headers.set(i, edit.apply(l.endsWith("\r\n") ? l : l + "\r\n"));
            }
            return this;
        }

        Lines swap(int a, int b) {
            if (headers.size() > 1) {
                java.util.Collections.swap(headers, scale(a, headers.size() - 1), scale(b, headers.size() - 1));
            }
            return this;
        }

        byte[] bytes() {
            return (start + String.join("", headers) + rest).getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
