package io.siplane.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressOfRecordTest {

    @Test
    void parametersHeadersAndDisplayBracketsAreRemoved() {
        assertThat(AddressOfRecord.parse("<sip:alice@Example.COM;transport=tcp?subject=x>").uri())
                .isEqualTo("sip:alice@example.com");
    }

    @Test
    void bareUserAtHostIsTakenAsSip() {
        assertThat(AddressOfRecord.parse("alice@example.com")).isEqualTo(AddressOfRecord.parse("sip:alice@example.com"));
    }

    @Test
    void schemeAndHostCompareCaseInsensitivelyUserCaseSensitively() {
        assertThat(AddressOfRecord.parse("SIP:alice@EXAMPLE.com")).isEqualTo(AddressOfRecord.parse("sip:alice@example.com"));
        assertThat(AddressOfRecord.parse("sip:Alice@example.com")).isNotEqualTo(AddressOfRecord.parse("sip:alice@example.com"));
    }

    @Test
    void escapedCharactersAreUnescaped() {
        assertThat(AddressOfRecord.parse("sip:%61lice@example.com")).isEqualTo(AddressOfRecord.parse("sip:alice@example.com"));
    }

    @Test
    void anExplicitPortIsKeptBecauseItChangesTheUri() {
        assertThat(AddressOfRecord.parse("sip:alice@example.com:5060")).isNotEqualTo(AddressOfRecord.parse("sip:alice@example.com"));
        assertThat(AddressOfRecord.parse("sip:alice@[::1]:5060").uri()).isEqualTo("sip:alice@[::1]:5060");
    }

    @Test
    void sipsStaysDistinctFromSip() {
        assertThat(AddressOfRecord.parse("sips:alice@example.com").scheme()).isEqualTo("sips");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "tel:+123456", "http://alice@example.com", "sip:@example.com",
            "sip:alice@", "sip:alice@exa mple.com", "sip:alice@example.com\r\nX-Injected: 1", "../../etc/passwd",
            "sip:alice@example.com:99999", "sip:alice@<script>"})
    void malformedAddressesAreRejected(String text) {
        assertThatThrownBy(() -> AddressOfRecord.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEscapedNulIsPartOfADistinctUserAndIsEscapedAgainInTheUri() {
        // RFC 4475 §3.1.1.4 (escnull): the user part must not be cut short at the NUL
        AddressOfRecord aor = AddressOfRecord.parse("sip:null-%00-null@example.com");

        assertThat(aor.user()).isEqualTo("null-\u0000-null");
        assertThat(aor.uri()).isEqualTo("sip:null-%00-null@example.com");
        assertThat(aor).isNotEqualTo(AddressOfRecord.parse("sip:null-@example.com"))
                .isNotEqualTo(AddressOfRecord.parse("sip:null-%00%00-null@example.com"));
    }

    @Test
    void escapedLineBreaksNeverLeaveTheAddressRaw() {
        AddressOfRecord aor = AddressOfRecord.parse("sip:alice%0D%0AX-Injected@example.com");

        assertThat(aor.uri()).isEqualTo("sip:alice%0D%0AX-Injected@example.com").doesNotContain("\r", "\n");
        assertThat(aor.toString()).doesNotContain("\r", "\n");
    }
}
