package io.siplane.gateway.http;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The actuator (metrics, prometheus, circuit breakers, health with details) must not share the public HTTP port:
 * refuses to start when {@code management.server.port} is unset or equal to {@code server.port} ({@code -1} turns the
 * actuator's HTTP side off and is fine).
 */
@Configuration(proxyBeanMethods = false)
class ManagementPortCheck {

    ManagementPortCheck(Environment environment) {
        String server = environment.getProperty("server.port", "8080").strip();
        String management = environment.getProperty("management.server.port", "").strip();
        if (management.isEmpty() || management.equals(server)) {
            throw new IllegalStateException("management.server.port (MANAGEMENT_SERVER_PORT) must be set and differ from "
                    + "server.port (" + server + "): the actuator's metrics and health details must stay off the public port");
        }
    }
}
