package io.siplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The gateway's token comparison is constant-time by construction: 32-byte SHA-256 digests on both sides, compared with
 * {@link MessageDigest#isEqual} (every byte looked at), and nothing else compares them; the filter goes through it.
 */
class ApiTokenTest {

    private final ApiToken token = new ApiToken("gateway-token-0123456789");

    @Test
    void everyPresentedTokenBecomesA32ByteDigestWhateverItsLength() {
        for (int length : new int[] {0, 1, 16, 24, 64, 100_000}) {
            assertThat(ApiToken.digest("y".repeat(length))).hasSize(32);
        }
    }

    @Test
    void onlyTheExactTokenMatches() {
        assertThat(token.matches("gateway-token-0123456789")).isTrue();
        assertThat(token.matches("gateway-token-012345678")).isFalse();
        assertThat(token.matches("gateway-token-01234567890")).isFalse();
        assertThat(token.matches("Gateway-token-0123456789")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.toString()).doesNotContain("0123456789");
    }

    @Test
    void theComparisonIsMessageDigestIsEqualOverDigestsAndTheFilterUsesIt() {
        Set<String> matches = callsOf(new ClassFileImporter().importClass(ApiToken.class), "matches");
        assertThat(matches).contains(MessageDigest.class.getName() + ".isEqual", ApiToken.class.getName() + ".digest")
                .noneMatch(ApiTokenTest::nonConstantComparison);

        Set<String> filter = callsOf(new ClassFileImporter().importClass(BearerTokenFilter.class), "filter");
        assertThat(filter).contains(ApiToken.class.getName() + ".matches").noneMatch(ApiTokenTest::nonConstantComparison);
    }

    private static Set<String> callsOf(JavaClass type, String method) {
        return type.getMethods().stream().filter(m -> m.getName().equals(method))
                .flatMap(m -> m.getCallsFromSelf().stream()).map(JavaCall::getTarget)
                .map(t -> t.getOwner().getName() + "." + t.getName()).collect(Collectors.toSet());
    }

    private static boolean nonConstantComparison(String call) {
        return call.endsWith(".equals") || call.endsWith(".equalsIgnoreCase") || call.endsWith(".contentEquals")
                || call.endsWith(".compareTo") || call.startsWith("java.util.Arrays.");
    }
}
