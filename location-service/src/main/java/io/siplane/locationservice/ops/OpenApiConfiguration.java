package io.siplane.locationservice.ops;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI siplaneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Siplane location service")
                        .description("Bindings (address-of-record → contacts) and subscribers of the Siplane SIP platform. "
                                + "Every error is an RFC 9457 problem details document.")
                        .version("v1"))
                // relative, so that "Try it out" works through the gateway as well as directly
                .servers(List.of(new Server().url("/")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("PLATFORM_API_TOKEN")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
