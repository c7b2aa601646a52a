package io.siplane.gateway.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetSpecTest {

    @Test
    void aListOfHostsWithAndWithoutPorts() {
        assertThat(TargetSpec.parse(" proxy-service , 10.0.0.7:5081,[::1]:5082,[fe80::1] ", 5080).entries()).containsExactly(
                new TargetSpec.Entry("proxy-service", 5080), new TargetSpec.Entry("10.0.0.7", 5081),
                new TargetSpec.Entry("::1", 5082), new TargetSpec.Entry("fe80::1", 5080));
    }

    @Test
    void badEntriesAreRefusedWithTheirText() {
        assertThatThrownBy(() -> TargetSpec.parse("", 5080)).hasMessageContaining("no targets");
        assertThatThrownBy(() -> TargetSpec.parse("a:x", 5080)).hasMessageContaining("a:x");
        assertThatThrownBy(() -> TargetSpec.parse("a:70000", 5080)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> TargetSpec.parse("[::1", 5080)).hasMessageContaining("IPv6");
    }
}
