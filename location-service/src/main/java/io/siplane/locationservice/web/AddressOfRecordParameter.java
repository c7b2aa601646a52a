package io.siplane.locationservice.web;

import io.siplane.location.AddressOfRecord;

/** Reads an address-of-record given in a URL: {@code alice@example.com} or {@code sip:alice@example.com}. */
public final class AddressOfRecordParameter {

    private AddressOfRecordParameter() {
    }

    /** @throws ApiProblem 400 when the text is not a SIP/SIPS URI or user@host */
    public static AddressOfRecord parse(String text) {
        AddressOfRecord aor;
        try {
            aor = AddressOfRecord.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("Not an address-of-record (expected user@host or a sip:/sips: URI): "
                    + e.getMessage() + ".");
        }
        // an escaped CR/LF or NUL in the user part is legal URI syntax but no subscriber's name:
        // refusing it here keeps such text out of keys, logs and headers built from the AOR
        if (aor.user().chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("Not an address-of-record: the user part contains control characters.");
        }
        return aor;
    }
}
