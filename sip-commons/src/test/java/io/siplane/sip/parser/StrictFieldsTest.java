package io.siplane.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.siplane.sip.RunningEndpoint;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.torture.AbstractStrictFieldsTest;
import io.siplane.testsupport.torture.FieldDefects;
import io.siplane.testsupport.torture.RawSipClient;
import io.siplane.testsupport.torture.SipPacket;
import io.siplane.testsupport.torture.SipServiceUnderTest;

/**
 * Every numeric field and URI host/port of {@link FieldDefects} out of RFC 3261's grammar or range, over UDP and TCP,
 * against a running endpoint whose handler answers 200 to anything: the parser guard answers 400 naming the field,
 * before any handler; edge values in range still reach the handler.
 */
class StrictFieldsTest extends AbstractStrictFieldsTest {

    private final int port = SipPorts.freeUdpAndTcpPort();
    private RunningEndpoint endpoint;

    /** The endpoint under test, on the engine a subclass picks. */
    protected RunningEndpoint startEndpoint(int onPort) {
        return RunningEndpoint.start(onPort, "OPTIONS");
    }

    @Override
    protected SipServiceUnderTest start() {
        endpoint = startEndpoint(port);
        return new SipServiceUnderTest("endpoint", port, "example.com", -1);
    }

    @Override
    protected void stop() {
        endpoint.close();
    }

    @Override
    protected List<FieldDefects.Field> fields() {
        return FieldDefects.OUT_OF_GRAMMAR;
    }

    Stream<Arguments> inGrammar() {
        return FieldDefects.IN_GRAMMAR.stream().flatMap(f -> Stream.of(Arguments.of(f, "UDP"), Arguments.of(f, "TCP")));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("inGrammar")
    void edgeValuesInGrammarReachTheHandler(FieldDefects.Field field, String transport) {
        assertThat(FieldDefects.ask(RawSipClient.loopback(port), field, transport,
                Duration.ofSeconds(5)).flatMap(SipPacket::status)).as("answer to %s", field).contains(200);
    }
}
