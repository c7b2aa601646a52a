package io.siplane.location.redis;

import io.siplane.location.AddressOfRecord;

/**
 * The Redis keys of the location store; documented for operators in location-client/README.md.
 *
 * <p>Every per-AOR key carries the AOR as a hash tag ({@code {…}}) so that all keys of one AOR live in
 * one Redis Cluster slot and can be changed by one script. The two indexes share the tag {@code {index}}.
 */
public final class RedisSchema {

    /** Pub/sub channel: the message is the AOR whose bindings or subscriber changed. */
    public static final String EVENTS_CHANNEL = "loc:events";
    /** ZSET, member = AOR, score = earliest binding expiry (ms) or earlier: what the sweeper visits. */
    public static final String EXPIRY_INDEX = "loc:{index}:expiry";
    /** ZSET, all scores 0, member = "&lt;domain&gt; &lt;aor&gt;": AORs with bindings in lexical order, for paging. */
    public static final String AOR_INDEX = "loc:{index}:aors";

    private RedisSchema() {
    }

    /** HASH: binding key → binding JSON. */
    public static String contactsKey(AddressOfRecord aor) {
        return "loc:{" + tag(aor) + "}:contacts";
    }

    /** HASH: username, domain, ha1_md5, ha1_sha256, created_at. */
    public static String subscriberKey(AddressOfRecord aor) {
        return "loc:{" + tag(aor) + "}:subscriber";
    }

    /**
     * STRING "&lt;highest nc&gt; &lt;request fingerprint&gt;" with a TTL of the nonce lifetime plus a minute: the
     * digest nonce-count shared by the replicas. The nonce is one the server issued and verified (43 characters).
     */
    public static String nonceCountKey(String nonce) {
        return "loc:nc:" + nonce;
    }

    public static String indexMember(AddressOfRecord aor) {
        return aor.domain() + " " + aor.uri();
    }

    public static AddressOfRecord aorOfIndexMember(String member) {
        int space = member.indexOf(' ');
        return AddressOfRecord.parse(member.substring(space + 1));
    }

    private static String tag(AddressOfRecord aor) {
        // braces would end the hash tag early; they are escaped as in a URI
        return aor.uri().replace("{", "%7B").replace("}", "%7D");
    }
}
