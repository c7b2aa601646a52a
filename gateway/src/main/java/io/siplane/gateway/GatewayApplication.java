package io.siplane.gateway;

import java.security.Security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The platform's edge: SIP on 5060 (UDP and TCP) in front of the registrar and proxy replicas, HTTP on 8080. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GatewayApplication {

    public static void main(String[] args) {
        // replicas come and go as DNS A records: don't let the JVM cache an answer longer than we re-resolve
        if (Security.getProperty("networkaddress.cache.ttl") == null) {
            Security.setProperty("networkaddress.cache.ttl", "5");
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
