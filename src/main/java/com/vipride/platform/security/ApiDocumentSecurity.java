package com.vipride.platform.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document says how each operation authenticates, as {@link SecurityConfiguration}
 * enforces it: a bearer access token (JWT) for every operation, except sign-up, login, token refresh,
 * invitation acceptance (no credentials) and the processors' webhooks (their body
 * signature, {@code webhookSignature}).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentSecurity {

    static final String BEARER = "bearerAuth";
    static final String WEBHOOK = "webhookSignature";
    private static final List<String> ANONYMOUS = List.of(
            "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/invitations/accept");

    @Bean
    OpenApiCustomizer securitySchemes() {
        return api -> {
            Components components = api.getComponents() == null ? new Components() : api.getComponents();
            components.addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                            .type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .bearerFormat("JWT")
                            .description("The access token from POST /api/v1/auth/login or /auth/refresh"));
            components.addSecuritySchemes(
                    WEBHOOK,
                    new SecurityScheme()
                            .type(SecurityScheme.Type.APIKEY)
                            .in(SecurityScheme.In.HEADER)
                            .name("Vipride-Signature")
                            .description("HMAC-SHA256 of the body with the processor's webhook secret"));
            api.setComponents(components);
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths()
                    .forEach((path, item) -> item.readOperations().forEach(operation -> {
                        if (ANONYMOUS.contains(path)) {
                            operation.setSecurity(List.of());
                        } else if (path.startsWith("/api/v1/webhooks/")) {
                            operation.setSecurity(List.of(new SecurityRequirement().addList(WEBHOOK)));
                        } else {
                            operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
                        }
                    }));
            api.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
        };
    }
}
