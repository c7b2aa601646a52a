package io.siplane.location;

import java.util.List;

/**
 * The changes one REGISTER makes to one AOR (RFC 3261 §10.3 steps 6–8), applied atomically.
 *
 * @param aor       the canonical address-of-record (To header)
 * @param callId    Call-ID of the REGISTER
 * @param cseq      CSeq number of the REGISTER
 * @param contacts  the contacts to bind or unbind; empty with {@code removeAll=false} is a query
 * @param removeAll {@code Contact: *} with {@code Expires: 0}
 */
public record RegisterUpdate(AddressOfRecord aor, String callId, long cseq, List<ContactUpdate> contacts, boolean removeAll) {

    public RegisterUpdate {
        if (aor == null || callId == null) {
            throw new IllegalArgumentException("aor and Call-ID are required");
        }
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
        if (removeAll && !contacts.isEmpty()) {
            throw new IllegalArgumentException("Contact: * cannot be combined with other contacts");
        }
    }

    public static RegisterUpdate of(AddressOfRecord aor, String callId, long cseq, List<ContactUpdate> contacts) {
        return new RegisterUpdate(aor, callId, cseq, contacts, false);
    }

    public static RegisterUpdate removeAll(AddressOfRecord aor, String callId, long cseq) {
        return new RegisterUpdate(aor, callId, cseq, List.of(), true);
    }

    public boolean isQuery() {
        return contacts.isEmpty() && !removeAll;
    }
}
