package io.siplane.redirect;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The redirect server: answers out-of-dialog requests with 302 and the callee's contacts (RFC 3261 §8.3). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RedirectApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedirectApplication.class, args);
    }
}
