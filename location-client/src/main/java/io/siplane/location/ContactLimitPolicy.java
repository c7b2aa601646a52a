package io.siplane.location;

/** What happens when a REGISTER would leave more contacts on an AOR than the configured maximum. */
public enum ContactLimitPolicy {
    /** The least recently registered contacts are dropped to make room (default, as Kamailio's usrloc can). */
    DROP_OLDEST,
    /** The REGISTER is refused and nothing changes (the registrar answers 403). */
    REJECT
}
