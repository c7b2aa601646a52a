package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sip.message.Response;

import org.junit.jupiter.api.Test;

import io.siplane.testsupport.sip.TestUserAgent;

class RegistrarStartupTest {

    @Test
    void refusesToStartWithoutANonceSecretAndSaysWhichVariableToSet() {
        assertThatThrownBy(() -> RunningRegistrar.start("sip.digest.nonce-secret="))
                .hasStackTraceContaining("SIP_NONCE_SECRET");
    }

    @Test
    void refusesToStartWithoutADomain() {
        assertThatThrownBy(() -> RunningRegistrar.start("registrar.domains="))
                .hasStackTraceContaining("SIP_DOMAIN");
    }

    @Test
    void withAuthenticationOffNoSecretIsNeededAndRegisterIsAcceptedWithoutChallenge() {
        try (RunningRegistrar registrar = RunningRegistrar.start("registrar.authentication=false", "sip.digest.nonce-secret=");
             TestUserAgent ua = TestUserAgent.udp().sendingTo(registrar.sipPort())) {
            Response response = ua.register("lab-user", RunningRegistrar.DOMAIN).send();

            assertThat(response.getStatusCode()).isEqualTo(200);
        }
    }
}
