package io.siplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ProxyPropertiesTest {

    private static ProxyProperties properties(List<String> domains, Duration timerC, ProxyProperties.Authentication auth) {
        return new ProxyProperties(domains, List.of(), false, timerC, auth, false, List.of(), Duration.ofSeconds(5));
    }

    @Test
    void domainsAreRequiredAndNormalised() {
        assertThat(properties(List.of(" Example.COM ", "example.com"), Duration.ofSeconds(185), null).domains())
                .containsExactly("example.com");
        assertThatThrownBy(() -> properties(List.of(), Duration.ofSeconds(185), null))
                .hasMessageContaining("SIP_DOMAIN");
    }

    @Test
    void authenticationDefaultsToInviteMessageAndOptionsAndNeverCoversAckOrCancel() {
        ProxyProperties defaults = properties(List.of("example.com"), Duration.ofSeconds(185), null);

        assertThat(defaults.authentication().challenges("INVITE")).isTrue();
        assertThat(defaults.authentication().challenges("MESSAGE")).isTrue();
        assertThat(defaults.authentication().challenges("OPTIONS")).isTrue();
        assertThat(defaults.authentication().challenges("SUBSCRIBE")).isFalse();
        assertThat(new ProxyProperties.Authentication(false, Set.of("INVITE")).challenges("INVITE")).isFalse();
        assertThatThrownBy(() -> new ProxyProperties.Authentication(true, Set.of("invite", "cancel")))
                .hasMessageContaining("CANCEL");
    }

    @Test
    void timerCMustBeAtLeastASecond() {
        assertThatThrownBy(() -> properties(List.of("example.com"), Duration.ofMillis(10), null)).hasMessageContaining("timer-c");
    }
}
