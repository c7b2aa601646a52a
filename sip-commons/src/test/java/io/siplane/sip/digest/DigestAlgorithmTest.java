package io.siplane.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Known answers from RFC 7616 §3.9.1 (the same computation SIP uses, RFC 8760). */
class DigestAlgorithmTest {

    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    @Test
    void md5ResponseMatchesRfc7616Example() {
        String ha1 = DigestAlgorithm.MD5.hash("Mufasa:http-auth@example.org:Circle of Life");

        assertThat(DigestAlgorithm.MD5.response(ha1, "GET", "/dir/index.html", NONCE, "00000001", CNONCE, "auth"))
                .isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    @Test
    void sha256ResponseMatchesRfc7616Example() {
        String ha1 = DigestAlgorithm.SHA_256.hash("Mufasa:http-auth@example.org:Circle of Life");

        assertThat(DigestAlgorithm.SHA_256.response(ha1, "GET", "/dir/index.html", NONCE, "00000001", CNONCE, "auth"))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void absentAlgorithmMeansMd5AndUnknownOnesAreRefused() {
        assertThat(DigestAlgorithm.fromWireName(null)).contains(DigestAlgorithm.MD5);
        assertThat(DigestAlgorithm.fromWireName("sha-256")).contains(DigestAlgorithm.SHA_256);
        assertThat(DigestAlgorithm.fromWireName("MD5-sess")).isEmpty();
    }
}
