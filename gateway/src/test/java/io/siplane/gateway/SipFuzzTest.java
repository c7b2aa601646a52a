package io.siplane.gateway;

import io.siplane.testsupport.fuzz.FuzzInput;
import io.siplane.testsupport.fuzz.FuzzSeeds;
import io.siplane.testsupport.fuzz.FuzzSession;
import io.siplane.testsupport.fuzz.SipFuzz;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated valid messages against the real gateway (in front of answering replicas; 127.0.0.1 is exempt from the
 * flood limit, which is not what is tested here): it never answers 500 or leaks internals, keeps every stack thread,
 * keeps its heap bounded and answers OPTIONS throughout. Tries: {@code jqwik.tries.default} (200 in the normal
 * build, 100,000 with {@code -Pfuzz}).
 */
class SipFuzzTest {

    static FuzzSession session;

    @BeforeContainer
    static void start() {
        session = new FuzzSession(BadInputGateway.shared(), 1000, 128L << 20);
    }

    @AfterContainer
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Property(shrinking = ShrinkingMode.OFF, afterFailure = AfterFailureMode.RANDOM_SEED)
    void mutatedMessagesNeverBreakTheGateway(@ForAll("inputs") FuzzInput input) {
        session.send(input);
        session.assertNoProblem();
    }

    @AfterProperty
    void finallyTheGatewayStillAnswersWithBoundedHeapAndEveryThread() {
        session.finish();
        session.assertNoProblem();
    }

    @Provide
    Arbitrary<FuzzInput> inputs() {
        return SipFuzz.inputs(FuzzSeeds.standard(BadInputGateway.DOMAIN));
    }
}
