package io.siplane.locationservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.siplane.guard.InvalidApiTokenException;
import io.siplane.testsupport.RedisFixture;

@ExtendWith(OutputCaptureExtension.class)
class ApiTokenStartupTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "fifteen-chars!!", "has a space in the middle"})
    void serviceRefusesToStartWithoutAUsableTokenAndSaysWhatToDo(String token, CapturedOutput output) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(LocationServiceApplication.class)
                .properties("siplane.api.token=" + token, "server.port=0", "spring.data.redis.url=" + RedisFixture.url(),
                        "siplane.sweeper.enabled=false");

        assertThatThrownBy(app::run).hasRootCauseInstanceOf(InvalidApiTokenException.class);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("PLATFORM_API_TOKEN").contains("at least 16 characters");
        if (!token.isBlank()) {
            assertThat(output.getAll()).doesNotContain(token);
        }
    }
}
