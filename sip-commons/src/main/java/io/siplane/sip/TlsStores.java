package io.siplane.sip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Properties;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code sip.tls.*} as JAIN-SIP stack properties (the RI's {@code SslNetworkLayer} reads {@code javax.net.ssl.*} from the
 * stack's own properties, not the JVM's), and a start-up check of the stores: the RI only logs a store it cannot read
 * and then listens on TLS without a certificate, so the service refuses to start instead.
 */
public final class TlsStores {

    private TlsStores() {
    }

    static Properties stackProperties(SipProperties.Tls tls) {
        Properties p = new Properties();
        p.setProperty("javax.net.ssl.keyStore", tls.keyStore());
        p.setProperty("javax.net.ssl.keyStorePassword", tls.keyStorePassword());
        p.setProperty("javax.net.ssl.keyStoreType", tls.keyStoreType());
        p.setProperty("javax.net.ssl.trustStore", tls.trustStore().isEmpty() ? tls.keyStore() : tls.trustStore());
        p.setProperty("javax.net.ssl.trustStorePassword",
                tls.trustStore().isEmpty() || tls.trustStorePassword().isEmpty() ? tls.keyStorePassword() : tls.trustStorePassword());
        p.setProperty("javax.net.ssl.trustStoreType", tls.keyStoreType());
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", tls.clientAuth().name());
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", tls.protocols()));
        if (!tls.cipherSuites().isEmpty()) {
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", tls.cipherSuites()));
        }
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", String.valueOf(tls.handshakeTimeout().toMillis()));
        // CVE-2011-1473: client-initiated renegotiation costs the server a handshake each time
        p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
        return p;
    }

    /** @throws IllegalStateException naming the setting when a store cannot be read or holds no private key */
    public static void check(SipProperties.Tls tls) {
        KeyStore keys = load(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType(), "sip.tls.key-store");
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(keys.aliases())) {
                hasKey |= keys.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IllegalStateException("sip.tls.key-store " + tls.keyStore() + " holds no private key: TLS needs "
                        + "this service's certificate and key");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sip.tls.key-store " + tls.keyStore() + ": " + e.getMessage(), e);
        }
        if (!tls.trustStore().isEmpty()) {
            load(tls.trustStore(), tls.trustStorePassword().isEmpty() ? tls.keyStorePassword() : tls.trustStorePassword(),
                    tls.keyStoreType(), "sip.tls.trust-store");
        }
    }

    /** This service's certificate and key from {@code sip.tls.key-store}, for an engine that does its own TLS. */
    public static KeyManagerFactory keyManagers(SipProperties.Tls tls) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType(), "sip.tls.key-store"),
                    tls.keyStorePassword().toCharArray());
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sip.tls.key-store " + tls.keyStore() + ": " + e.getMessage(), e);
        }
    }

    /** The peers trusted: {@code sip.tls.trust-store}, else the key store (as the RI's stack properties above). */
    public static TrustManagerFactory trustManagers(SipProperties.Tls tls) {
        boolean own = tls.trustStore().isEmpty();
        String file = own ? tls.keyStore() : tls.trustStore();
        String password = own || tls.trustStorePassword().isEmpty() ? tls.keyStorePassword() : tls.trustStorePassword();
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(file, password, tls.keyStoreType(), own ? "sip.tls.key-store" : "sip.tls.trust-store"));
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sip.tls trust store " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String file, String password, String type, String setting) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + setting + " " + file + " (" + type + "): " + e.getMessage(), e);
        }
    }
}
