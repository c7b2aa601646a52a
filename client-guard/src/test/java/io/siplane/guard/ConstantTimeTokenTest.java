package io.siplane.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The token comparison is constant-time by construction, not by measurement: both sides are SHA-256 digests (always
 * 32 bytes, whatever was presented) compared with {@link MessageDigest#isEqual}, which looks at every byte; nothing
 * else in the comparison compares strings or arrays.
 */
class ConstantTimeTokenTest {

    @Test
    void everyPresentedTokenBecomesA32ByteDigestWhateverItsLength() {
        for (int length : new int[] {0, 1, 15, 16, 32, 64, 1000, 100_000}) {
            assertThat(ApiToken.digest("x".repeat(length))).as("digest of %s characters", length).hasSize(32);
        }
    }

    @Test
    void matchesComparesTheDigestsWithMessageDigestIsEqualAndNothingElse() {
        JavaClass token = new ClassFileImporter().importClass(ApiToken.class);
        Set<String> calls = token.getMethod("matches", String.class).getCallsFromSelf().stream()
                .map(JavaCall::getTarget).map(t -> t.getOwner().getName() + "." + t.getName()).collect(java.util.stream.Collectors.toSet());

        assertThat(calls).contains(MessageDigest.class.getName() + ".isEqual", ApiToken.class.getName() + ".digest")
                .noneMatch(c -> c.endsWith(".equals") || c.endsWith(".equalsIgnoreCase") || c.endsWith(".contentEquals")
                        || c.endsWith(".compareTo") || c.startsWith("java.util.Arrays."));
    }

    @Test
    void theFilterComparesThroughApiTokenAndNothingElse() {
        JavaClass filter = new ClassFileImporter().importClass(BearerTokenFilter.class);
        Set<String> calls = filter.getMethods().stream().filter(m -> m.getName().equals("doFilterInternal"))
                .flatMap(m -> m.getCallsFromSelf().stream()).map(JavaCall::getTarget)
                .map(t -> t.getOwner().getName() + "." + t.getName()).collect(java.util.stream.Collectors.toSet());

        assertThat(calls).contains(ApiToken.class.getName() + ".matches")
                .noneMatch(c -> c.endsWith(".equals") || c.endsWith(".equalsIgnoreCase") || c.endsWith(".contentEquals")
                        || c.endsWith(".compareTo") || c.startsWith("java.util.Arrays."));
    }

    @Test
    void anAlmostRightTokenOfAnyLengthIsRefused() {
        ApiToken token = ApiToken.of("0123456789abcdef-secret");
        assertThat(token.matches("0123456789abcdef-secret")).isTrue();
        assertThat(token.matches("1123456789abcdef-secret")).isFalse();
        assertThat(token.matches("0123456789abcdef-secre")).isFalse();
        assertThat(token.matches("0123456789abcdef-secret0123456789abcdef-secret")).isFalse();
    }
}
