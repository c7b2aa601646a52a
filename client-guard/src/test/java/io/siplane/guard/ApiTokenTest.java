package io.siplane.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiTokenTest {

    private final ApiToken token = ApiToken.of("0123456789abcdef-secret");

    @Test
    void acceptsExactlyTheConfiguredToken() {
        assertThat(token.matches("0123456789abcdef-secret")).isTrue();
        assertThat(token.matches("0123456789abcdef-secreT")).isFalse();
        assertThat(token.matches("0123456789abcdef-secret ")).isFalse();
        assertThat(token.matches("0123456789abcdef")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void refusesAMissingShortOrBlankContainingToken() {
        assertThatThrownBy(() -> ApiToken.of(null)).isInstanceOf(InvalidApiTokenException.class).hasMessageContaining("not set");
        assertThatThrownBy(() -> ApiToken.of("")).isInstanceOf(InvalidApiTokenException.class).hasMessageContaining("not set");
        assertThatThrownBy(() -> ApiToken.of("short")).isInstanceOf(InvalidApiTokenException.class).hasMessageContaining("shorter");
        assertThatThrownBy(() -> ApiToken.of("0123456789abcdef\tx")).isInstanceOf(InvalidApiTokenException.class);
    }

    @Test
    void neverShowsTheTokenInItsTextForm() {
        assertThat(token.toString()).doesNotContain("secret");
    }
}
