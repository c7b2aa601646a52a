package io.siplane.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.Test;

import io.siplane.sip.SipFactories;
import io.siplane.sip.message.SipHeaders;
import io.siplane.sip.message.SipResponses;

class SipDigestTest {

    private final SipFactories f = SipFactories.get();

    private Request register() throws Exception {
        String text = "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1;rport\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\nCall-ID: c1\r\nCSeq: 2 REGISTER\r\n"
                + "Max-Forwards: 70\r\n"
                + "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", uri=\"sip:example.com\", "
                + "response=\"abc\", algorithm=SHA-256, qop=auth, nc=0000000a, cnonce=\"c\"\r\n"
                + "Content-Length: 0\r\n\r\n";
        return f.messages().createRequest(text);
    }

    @Test
    void readsCredentialsAsSentIncludingTheRawNonceCount() throws Exception {
        DigestCredentials c = SipDigest.authorization(register()).get(0);

        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.realm()).isEqualTo("example.com");
        assertThat(c.uri()).isEqualTo("sip:example.com");
        assertThat(c.algorithm()).contains("SHA-256");
        assertThat(c.qop()).contains("auth");
        assertThat(c.nc()).contains("0000000a");
        assertThat(c.toString()).doesNotContain("abc");
    }

    @Test
    void writesOneWwwAuthenticatePerChallengeInOrderWithStale() throws Exception {
        Response r = SipResponses.create(f.messages(), register(), 401);
        SipDigest.addChallenges(r, List.of(
                new DigestChallenge("example.com", "N", DigestAlgorithm.MD5, "auth", true),
                new DigestChallenge("example.com", "N", DigestAlgorithm.SHA_256, "auth", true)), f.headers());

        List<String> values = SipHeaders.values(r, "WWW-Authenticate");
        assertThat(values).hasSize(2);
        assertThat(values.get(0)).contains("algorithm=MD5").contains("qop=\"auth\"").contains("realm=\"example.com\"")
                .containsIgnoringCase("stale=true");
        assertThat(values.get(1)).contains("algorithm=SHA-256");
    }
}
