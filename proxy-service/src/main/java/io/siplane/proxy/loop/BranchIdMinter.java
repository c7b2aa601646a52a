package io.siplane.proxy.loop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Via branch parameters this proxy writes (RFC 3261 §16.6 step 8, §16.11; RFC 5393 §4.2.1):
 * {@code z9hG4bK} + {@code sp} + the loop hash of the request + {@code .} + what makes the branch unique.
 *
 * <p>The loop hash covers what a loop leaves unchanged and a spiral changes: Request-URI, Call-ID, From tag, To tag,
 * CSeq number, Proxy-Require, Proxy-Authorization and Route as received. A request that comes back carrying our
 * sent-by with the same loop hash has been here before unchanged: a loop (482). With another hash it is a spiral
 * (e.g. forwarded to a contact that points back at us under another Request-URI), which is fine.
 *
 * <p>Stateful branches end in a per-process counter behind a random instance prefix (unique across replicas and
 * restarts); stateless ones end in a hash of the incoming branch, so a retransmission is forwarded with the same
 * branch (RFC 3261 §16.11).
 */
public final class BranchIdMinter {

    public static final String MAGIC_COOKIE = "z9hG4bK";
    static final String PREFIX = MAGIC_COOKIE + "sp";
    private static final HexFormat HEX = HexFormat.of();

    private final String instance;
    private final AtomicLong counter = new AtomicLong();

    public BranchIdMinter() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.instance = HEX.formatHex(random);
    }

    /** The loop hash of a request from its loop-relevant fields, in a fixed order. */
    public static String loopHash(List<String> fields) {
        return hash(String.join("\n", fields), 8);
    }

    /** A fresh branch for one client transaction. */
    public String stateful(String loopHash) {
        return PREFIX + loopHash + "." + instance + Long.toString(counter.incrementAndGet(), 36);
    }

    /** The same branch every time the same request (same incoming branch and sent-by) is forwarded statelessly. */
    public static String stateless(String loopHash, String incomingBranch, String incomingSentBy) {
        return PREFIX + loopHash + ".s" + hash(incomingBranch + "\n" + incomingSentBy, 6);
    }

    /** The loop hash inside a branch this proxy (or a replica) wrote, if it is one. */
    public static Optional<String> loopHashOf(String branch) {
        if (branch == null || !branch.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = branch.indexOf('.', PREFIX.length());
        return dot < 0 ? Optional.empty() : Optional.of(branch.substring(PREFIX.length(), dot));
    }

    private static String hash(String text, int bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
