package io.siplane.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 3261 §19.1.4 equivalence for the digest uri against the Request-URI. */
class DigestUriTest {

    @Test
    void equivalentSipUrisMatch() {
        assertThat(DigestUri.names("sip:example.com", "sip:example.com")).isTrue();
        assertThat(DigestUri.names("SIP:Example.COM", "sip:example.com")).as("scheme and host case").isTrue();
        assertThat(DigestUri.names("sip:%61lice@example.com:5070", "sip:alice@EXAMPLE.com:5070")).as("escaped user").isTrue();
        assertThat(DigestUri.names("sip:bob@example.com;transport=tcp", "sip:bob@example.com;transport=tcp;lr"))
                .as("parameters").isTrue();
        assertThat(DigestUri.names("sip:bob@[fd00::1]:5060", "sip:bob@[FD00::1]:5060")).isTrue();
        assertThat(DigestUri.names("tel:+15551234", "TEL:+15551234")).isTrue();
    }

    @Test
    void anotherResourceDoesNotMatch() {
        assertThat(DigestUri.names("sip:bob@example.com", "sip:carol@example.com")).as("user").isFalse();
        assertThat(DigestUri.names("sip:Bob@example.com", "sip:bob@example.com")).as("user case").isFalse();
        assertThat(DigestUri.names("sip:bob@example.com", "sip:bob@example.org")).as("host").isFalse();
        assertThat(DigestUri.names("sip:bob@example.com:5070", "sip:bob@example.com:5080")).as("port").isFalse();
        assertThat(DigestUri.names("sip:bob@example.com:5060", "sip:bob@example.com")).as("explicit default port").isFalse();
        assertThat(DigestUri.names("sips:bob@example.com", "sip:bob@example.com")).as("scheme").isFalse();
        assertThat(DigestUri.names("", "sip:example.com")).as("empty").isFalse();
        assertThat(DigestUri.names("sip:bob@example.com:99999999", "sip:bob@example.com:99999999")).as("bad port").isFalse();
        assertThat(DigestUri.names("sip:%zz@example.com", "sip:%zz@example.com")).as("bad escape").isFalse();
    }
}
