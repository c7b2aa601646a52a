package io.siplane.testsupport.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Numeric fields and URI ports out of RFC 3261's grammar or range, over UDP and TCP, against one running service:
 * each gets a 400 whose reason phrase names the field (sip-commons' parser guard, before any handler of the
 * service). The whole list of fields runs against a bare endpoint in sip-commons; a service checks the ones here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractStrictFieldsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private SipServiceUnderTest service;

    /** Starts the service under test (or returns one the module's bad-input tests share). */
    protected abstract SipServiceUnderTest start();

    /** Stops the service if this class started it. */
    protected void stop() {
    }

    @BeforeAll
    final void startService() {
        service = start();
    }

    @AfterAll
    final void stopService() {
        stop();
    }

    /** Issue 13's two (Max-Forwards: -1, a Request-URI port of 99999999) and one of each other kind of field. */
    protected List<FieldDefects.Field> fields() {
        List<String> picked = List.of("Max-Forwards: -1", "Request-URI: sip:127.0.0.1:99999999", "Request-URI: sip:bob@2001:db8::10",
                "CSeq: 2147483648 OPTIONS", "Expires: -1", "Via: SIP/2.0/%t 127.0.0.1:%p;branch=z9hG4bK-%b;rport=99999",
                "Contact: <sip:alice@127.0.0.1:%p>;q=1.5", "To: sip:bob@example.com:99999");
        return FieldDefects.OUT_OF_GRAMMAR.stream().filter(f -> picked.contains(f.toString())).toList();
    }

    @TestFactory
    Stream<DynamicTest> aFieldOutOfGrammarOrRangeGets400NamingTheField() {
        return fields().stream().flatMap(f -> Stream.of("UDP", "TCP").map(transport -> DynamicTest.dynamicTest(
                f + " over " + transport, () -> {
                    Optional<SipPacket> answer = FieldDefects.ask(service.client(), f, transport, WAIT);

                    assertThat(answer).as("%s over %s answered by the %s", f, transport, service.name()).isPresent();
                    assertThat(answer.get().startLine()).isEqualTo("SIP/2.0 400 " + f.reason());
                    assertThat(WireHygiene.problem(answer.get())).isEmpty();
                })));
    }
}
