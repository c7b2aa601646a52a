package io.siplane.sip.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void aBlockContainsTheAddressesUnderItsPrefix() {
        Cidr pods = Cidr.parse("10.42.0.0/16");
        assertThat(pods.contains("10.42.7.9")).isTrue();
        assertThat(pods.contains("10.43.0.1")).isFalse();
        assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.200")).isTrue();
        assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.100")).isFalse();
    }

    @Test
    void aBareAddressIsABlockOfOne() {
        assertThat(Cidr.parse("127.0.0.1").contains("127.0.0.1")).isTrue();
        assertThat(Cidr.parse("127.0.0.1").contains("127.0.0.2")).isFalse();
        assertThat(Cidr.parse("::1").contains("::1")).isTrue();
    }

    @Test
    void ipv4AndIpv6NeverMatchEachOther() {
        assertThat(Cidr.parse("0.0.0.0/0").contains("::1")).isFalse();
    }

    @Test
    void namesAndMalformedBlocksAreRefusedWithoutResolvingAnything() {
        assertThatThrownBy(() -> Cidr.parse("gateway.example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cidr.parse("10.0.0.0/8").contains("not-an-address")).isFalse();
    }
}
