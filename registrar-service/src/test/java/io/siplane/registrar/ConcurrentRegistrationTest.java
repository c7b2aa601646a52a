package io.siplane.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Response;

import org.junit.jupiter.api.Test;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.testsupport.sip.Credentials;
import io.siplane.testsupport.sip.TestUserAgent;

class ConcurrentRegistrationTest {

    private static final int USER_AGENTS = 200;
    private static final int STACKS = 4;

    /**
     * 200 user agents (each its own user, Call-ID and contact) register at the same moment, with digest, half over
     * UDP and half over TCP; they share four JAIN-SIP stacks so the test stays light on a 2-core machine.
     */
    @Test
    void twoHundredUserAgentsRegisteringConcurrentlyAllSucceedAndEveryBindingIsInRedis() throws Exception {
        try (RunningRegistrar registrar = RunningRegistrar.start("sip.digest.algorithms=MD5,SHA-256")) {
            List<TestUserAgent> stacks = new ArrayList<>();
            try {
                for (int i = 0; i < STACKS; i++) {
                    stacks.add((i % 2 == 0 ? TestUserAgent.udp() : TestUserAgent.tcp()).sendingTo(registrar.sipPort()));
                }
                String prefix = "load" + System.nanoTime() % 100000 + "-";
                for (int i = 0; i < USER_AGENTS; i++) {
                    registrar.subscriber(prefix + i, "pw" + i);
                }

                List<CompletableFuture<Response>> answers = new ArrayList<>();
                for (int i = 0; i < USER_AGENTS; i++) {
                    String user = prefix + i;
                    String algorithm = i % 3 == 0 ? "SHA-256" : "MD5";
                    answers.add(stacks.get(i % STACKS).register(user, RunningRegistrar.DOMAIN)
                            .sendAsync(new Credentials(user, "pw" + i, algorithm)));
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

                assertThat(answers).extracting(f -> f.join().getStatusCode()).containsOnly(200);
                for (int i = 0; i < USER_AGENTS; i++) {
                    String user = prefix + i;
                    TestUserAgent ua = stacks.get(i % STACKS);
                    assertThat(registrar.store().lookup(AddressOfRecord.of(user, RunningRegistrar.DOMAIN)))
                            .extracting(Binding::contactUri).containsExactly(ua.contactUri(user));
                }
            } finally {
                stacks.forEach(TestUserAgent::close);
            }
        }
    }
}
