package io.siplane.proxy.badinput;

import java.util.Map;

import io.siplane.proxy.ProxyApplication;
import io.siplane.testsupport.RedisFixture;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.fuzz.FuzzInput;
import io.siplane.testsupport.fuzz.FuzzSeeds;
import io.siplane.testsupport.fuzz.FuzzSession;
import io.siplane.testsupport.fuzz.SipFuzz;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.SipServiceUnderTest;
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
 * Mutated valid messages against the real proxy: it never answers 500 or leaks internals, keeps every stack
 * thread, keeps its heap bounded and answers OPTIONS throughout. Tries: {@code jqwik.tries.default} (300 in the normal
 * build, 100,000 with {@code -Pfuzz}).
 */
class SipFuzzTest {

    static final String DOMAIN = "torture.test";
    static RunningService proxy;
    static FuzzSession session;

    @BeforeContainer
    static void start() {
        proxy = RunningService.start(ProxyApplication.class, Map.of(
                "server.port", "0", "sip.port", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                "spring.data.redis.url", RedisFixture.url(), "sip.thread-pool-size", "8", "proxy.domains", DOMAIN,
                "sip.digest.nonce-secret", "proxy-fuzz-nonce-secret-0123456789"));
        session = new FuzzSession(SipServiceUnderTest.of("proxy-service", proxy, DOMAIN), 1000, 128L << 20);
    }

    @AfterContainer
    static void stop() {
        if (session != null) {
            session.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Property(shrinking = ShrinkingMode.OFF, afterFailure = AfterFailureMode.RANDOM_SEED)
    void mutatedMessagesNeverBreakTheProxy(@ForAll("inputs") FuzzInput input) {
        session.send(input);
        session.assertNoProblem();
    }

    @AfterProperty
    void finallyTheProxyStillAnswersWithBoundedHeapAndEveryThread() {
        session.finish();
        session.assertNoProblem();
    }

    @Provide
    Arbitrary<FuzzInput> inputs() {
        return SipFuzz.inputs(FuzzSeeds.standard(DOMAIN));
    }
}
