package io.siplane.registrar;

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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.siplane.location.AddressOfRecord;
import io.siplane.location.Binding;
import io.siplane.testsupport.RedisFixture;

/**
 * A third-party client: SIPp 3.6.1 registers users with MD5 digest (it answers only the first challenge, which is
 * MD5 by default) over UDP and TCP. {@code .ci/run} installs SIPp.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SippRegistrationTest {

    private static final int USERS = 20;
    private RunningRegistrar registrar;

    @BeforeAll
    void start() {
        assumeTrue(sippInstalled(), "sipp is not installed (apt-get install sip-tester)");
        registrar = RunningRegistrar.start();
    }

    @AfterAll
    void stop() {
        if (registrar != null) {
            registrar.close();
        }
    }

    @ParameterizedTest(name = "over {0}")
    @CsvSource({"udp,u1", "tcp,t1"})
    void sippRegistersEveryUserWithMd5DigestAndEachBindingIsInRedis(String transport, String sippMode, @TempDir Path dir)
            throws Exception {
        String prefix = "sipp-" + transport + "-" + System.nanoTime() % 100000 + "-";
        StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
        for (int i = 0; i < USERS; i++) {
            registrar.subscriber(prefix + i, "pw-" + i);
            csv.append(prefix).append(i).append(';').append(RunningRegistrar.DOMAIN).append(";pw-").append(i).append('\n');
        }
        Files.writeString(dir.resolve("users.csv"), csv);
        try (InputStream scenario = getClass().getResourceAsStream("/sipp/register_uac.xml")) {
            Files.copy(scenario, dir.resolve("register_uac.xml"));
        }
        int sippPort = RedisFixture.freePort();
        List<String> cmd = new ArrayList<>(List.of("sipp", "127.0.0.1:" + registrar.sipPort(),
                "-sf", "register_uac.xml", "-inf", "users.csv", "-auth_uri", RunningRegistrar.DOMAIN,
                "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", String.valueOf(sippPort), "-t", sippMode,
                "-r", "20", "-m", String.valueOf(USERS), "-l", "20",
                "-timeout", "30s", "-timeout_error", "-nostdin", "-trace_err"));

        Process sipp = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
        boolean finished = sipp.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            sipp.destroyForcibly();
        }

        assertThat(finished).as("sipp finished").isTrue();
        assertThat(sipp.exitValue()).as("sipp exit status (0 = every call succeeded); output:\n%s", tail(dir)).isZero();
        for (int i = 0; i < USERS; i++) {
            List<Binding> bindings = registrar.store().lookup(AddressOfRecord.of(prefix + i, RunningRegistrar.DOMAIN));
            assertThat(bindings).as(prefix + i).singleElement().satisfies(b -> {
                assertThat(b.contactUri()).startsWith("sip:").contains("@127.0.0.1:" + sippPort);
                assertThat(b.userAgent()).contains("sipp-anchor");
                assertThat(b.received()).hasValueSatisfying(r -> assertThat(r.transport()).isEqualTo(transport));
            });
        }
    }

    private static String tail(Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".log")).toList()) {
                String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                out.append("== ").append(p.getFileName()).append('\n').append(text, Math.max(0, text.length() - 3000), text.length());
            }
        }
        return out.toString();
    }

    private static boolean sippInstalled() {
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
