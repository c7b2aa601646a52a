package io.siplane.testsupport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made at test time with the JDK's {@code keytool} (no test key material in the repository):
 * a PKCS12 key store with the private key and certificate for {@code CN=localhost}, SAN {@code IP:127.0.0.1,
 * DNS:localhost}, valid two days, and a PKCS12 trust store holding only the certificate, for clients. The folder is
 * deleted on {@link #close}.
 */
public final class SelfSignedCertificate implements AutoCloseable {

    public static final String PASSWORD = "test-tls-password";
    private static final String ALIAS = "siplane-test";

    private final Path directory;
    private final Path keyStore;
    private final Path trustStore;

    private SelfSignedCertificate(Path directory) {
        this.directory = directory;
        this.keyStore = directory.resolve("server.p12");
        this.trustStore = directory.resolve("trust.p12");
    }

    /** Generates the key pair, the certificate and both stores (EC P-256, SHA256withECDSA). */
    public static SelfSignedCertificate generate() {
        try {
            SelfSignedCertificate c = new SelfSignedCertificate(Files.createTempDirectory("siplane-tls-"));
            Path cert = c.directory.resolve("server.crt");
            c.keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost, O=Siplane tests", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", c.keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            c.keytool("-exportcert", "-rfc", "-alias", ALIAS, "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", c.keyStore.toString(), "-storepass", PASSWORD);
            c.keytool("-importcert", "-noprompt", "-alias", ALIAS, "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", c.trustStore.toString(), "-storepass", PASSWORD);
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary folder for the test certificate", e);
        }
    }

    /** PKCS12 with the private key and certificate: the server's {@code sip.tls.key-store} / {@code server.ssl.key-store}. */
    public Path keyStore() {
        return keyStore;
    }

    /** PKCS12 with the certificate only: what a client trusts. */
    public Path trustStore() {
        return trustStore;
    }

    /** The certificate, read back from the trust store. */
    public X509Certificate certificate() {
        try {
            return (X509Certificate) load(trustStore).getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that trusts this certificate and nothing else (for an HTTPS client). */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private void keytool(String... args) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = Stream.concat(Stream.of(keytool.toString()), Stream.of(args)).toList();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
