package io.siplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sip.message.Request;
import javax.sip.message.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.TestUserAgent;

/**
 * A third-party client on both ends: SIPp 3.6.1 runs the bench call scenarios unchanged (call_uas.xml as callee,
 * call_uac.xml as caller: INVITE, 100, 180, 200, ACK, BYE) through the running proxy, the callee registered through
 * the running registrar, against the Record-Routing replica and the default one. SIPp sends every message of a call to
 * the peer the call started with, so even without Record-Route its ACK and BYE come to the proxy, which relays them to
 * the callee's registered contact; peer-to-peer dialogs are covered with the JAIN-SIP agents. {@code .ci/run} installs
 * SIPp.
 */
class SippCallTest {

    private static final int CALLS = 5;
    private final ProxyPlatform platform = ProxyPlatform.get();

    @BeforeAll
    static void sippInstalled() {
        assumeTrue(sippAvailable(), "sipp is not installed (apt-get install sip-tester)");
    }

    @ParameterizedTest(name = "over {0}, Record-Route {2}")
    @CsvSource({"udp,u1,on", "tcp,t1,on", "udp,u1,off", "tcp,t1,off"})
    void sippCallerReachesTheSippCalleeThroughTheProxyForEveryCall(String transport, String mode, String recordRoute,
            @TempDir Path dir) throws Exception {
        RunningProxy proxy = "on".equals(recordRoute) ? platform.recordRouting : platform.replicaA;
        String callee = platform.newSubscriber("uas");
        for (String file : List.of("call_uas.xml", "call_uac.xml")) {
            try (InputStream in = getClass().getResourceAsStream("/sipp/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        int uasPort = SipPorts.freeUdpAndTcpPort();
        int uacPort = SipPorts.freeUdpAndTcpPort();
        // the SIPp callee cannot register with digest: a test agent registers its contact for it (third-party)
        try (TestUserAgent registrant = TestUserAgent.start(transport)) {
            Request register = registrant.register(callee, ProxyPlatform.DOMAIN).withoutContacts()
                    .contact("<sip:" + callee + "@127.0.0.1:" + uasPort + ";transport=" + transport + ">").build();
            Response challenge = registrant.sendAsync(register, platform.registrarTarget()).join();
            assertThat(registrant.sendAsync(registrant.authorize(register, challenge, Agents.credentials(callee)),
                    platform.registrarTarget()).join().getStatusCode()).isEqualTo(200);
        }
        double invites = proxy.requestsCounted(Request.INVITE);
        double byes = proxy.requestsCounted(Request.BYE);

        Process uas = sipp(dir, "uas", List.of("-sf", "call_uas.xml", "-p", String.valueOf(uasPort), "-t", mode,
                "-m", String.valueOf(CALLS)));
        Process uac = sipp(dir, "uac", List.of("127.0.0.1:" + proxy.sipPort(), "-sf", "call_uac.xml", "-s", callee,
                "-p", String.valueOf(uacPort), "-t", mode, "-m", String.valueOf(CALLS), "-r", "5", "-l", "5", "-d", "200"));
        boolean uacDone = uac.waitFor(90, TimeUnit.SECONDS);
        boolean uasDone = uas.waitFor(30, TimeUnit.SECONDS);
        if (!uacDone) {
            uac.destroyForcibly();
        }
        if (!uasDone) {
            uas.destroyForcibly();
        }

        assertThat(uacDone).as("the SIPp caller finished; output:\n%s", output(dir)).isTrue();
        assertThat(uac.exitValue()).as("SIPp caller exit status (0 = every call succeeded); output:\n%s", output(dir)).isZero();
        assertThat(uasDone).as("the SIPp callee finished; output:\n%s", output(dir)).isTrue();
        assertThat(uas.exitValue()).as("SIPp callee exit status; output:\n%s", output(dir)).isZero();
        assertThat(proxy.requestsCounted(Request.INVITE) - invites).as("every INVITE went through the proxy").isEqualTo(CALLS);
        assertThat(proxy.requestsCounted(Request.BYE) - byes).as("SIPp sends every BYE to the proxy").isEqualTo(CALLS);
    }

    private static Process sipp(Path dir, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sipp"));
        cmd.addAll(args);
        cmd.addAll(List.of("-i", "127.0.0.1", "-mi", "127.0.0.1", "-mp", String.valueOf(SipPorts.freeUdpAndTcpPort()),
                "-cp", String.valueOf(SipPorts.freeUdpAndTcpPort()), "-timeout", "60s", "-timeout_error", "-nostdin",
                "-trace_err", "-error_file", name + "-errors.log"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    }

    private static String output(Path dir) {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                out.append("== ").append(p.getFileName()).append('\n')
                        .append(text, Math.max(0, text.length() - 3000), text.length());
            }
        } catch (IOException e) {
            out.append("(cannot read the SIPp output: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private static boolean sippAvailable() {
        try {
            Process p = new ProcessBuilder("sipp", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
