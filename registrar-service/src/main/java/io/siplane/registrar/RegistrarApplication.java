package io.siplane.registrar;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The registrar: REGISTER per RFC 3261 §10.3 with digest authentication, bindings in the location store. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RegistrarApplication {

    public static void main(String[] args) {
        SpringApplication.run(RegistrarApplication.class, args);
    }
}
