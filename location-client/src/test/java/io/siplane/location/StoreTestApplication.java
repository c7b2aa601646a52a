package io.siplane.location;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The location client as a service would get it: Spring Boot auto-configuration over real Redis. */
@SpringBootConfiguration
@EnableAutoConfiguration
class StoreTestApplication {
}
