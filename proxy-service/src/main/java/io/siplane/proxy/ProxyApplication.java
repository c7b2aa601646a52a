package io.siplane.proxy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The proxy: a transaction-stateful SIP proxy (RFC 3261 §16) that finds the callee in the location store, forks to
 * its contacts and relays the answers. Replicas share nothing but the store.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProxyApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProxyApplication.class, args);
    }
}
