package io.siplane.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.siplane.sip.RunningEndpoint;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.FieldDefects;
import io.siplane.testsupport.torture.RawSipClient;
import io.siplane.testsupport.torture.SipPacket;
import io.siplane.testsupport.torture.WireHygiene;

/**
 * Every numeric field and URI host/port out of RFC 3261's grammar or range, over UDP and TCP, against a running
 * endpoint whose handler answers 200 to anything: the parser guard answers 400 naming the field, before any handler.
 */
class StrictFieldsTest {

    private static final int PORT = SipPorts.freeUdpAndTcpPort();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static RunningEndpoint endpoint;

    @BeforeAll
    static void start() {
        endpoint = RunningEndpoint.start(PORT, "OPTIONS");
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    static Stream<Arguments> outOfGrammar() {
        return FieldDefects.OUT_OF_GRAMMAR.stream().flatMap(f -> Stream.of(Arguments.of(f, "UDP"), Arguments.of(f, "TCP")));
    }

    static Stream<Arguments> inGrammar() {
        return FieldDefects.IN_GRAMMAR.stream().flatMap(f -> Stream.of(Arguments.of(f, "UDP"), Arguments.of(f, "TCP")));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("outOfGrammar")
    void aFieldOutOfGrammarOrRangeGets400NamingTheField(FieldDefects.Field field, String transport) {
        Optional<SipPacket> answer = FieldDefects.ask(RawSipClient.loopback(PORT), field, transport, WAIT);

        assertThat(answer).as("answered").isPresent();
        assertThat(answer.get().startLine()).isEqualTo("SIP/2.0 400 " + field.reason());
        assertThat(WireHygiene.problem(answer.get())).isEmpty();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("inGrammar")
    void edgeValuesInGrammarReachTheHandler(FieldDefects.Field field, String transport) {
        Optional<SipPacket> answer = FieldDefects.ask(RawSipClient.loopback(PORT), field, transport, WAIT);

        assertThat(answer.flatMap(SipPacket::status)).as("answer to %s", field).contains(200);
    }
}
