package com.vipride.platform.db;

import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The zero-configuration default: with no {@code spring.datasource.url}, an embedded PostgreSQL
 * starts and the service connects to it exactly as it would to an external server — migrations as
 * the owner login, requests as the runtime login {@code app_backend}. The embedded cluster trusts
 * local connections, so no passwords are involved.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoExternalDatabase.class)
class EmbeddedPostgresConfiguration {

    @Bean
    EmbeddedPostgresServer embeddedPostgresServer(EmbeddedPostgresProperties properties) {
        return EmbeddedPostgresServer.startOrReuse(properties);
    }

    @Bean
    JdbcConnectionDetails embeddedRuntimeConnection(EmbeddedPostgresServer server) {
        return new RuntimeLogin(server.jdbcUrl());
    }

    @Bean
    FlywayConnectionDetails embeddedMigrationConnection(EmbeddedPostgresServer server) {
        return new MigrationLogin(server.jdbcUrl());
    }

    /** The service's runtime login on the embedded cluster, which trusts local connections: no password. */
    private record RuntimeLogin(String getJdbcUrl) implements JdbcConnectionDetails {

        @Override
        public String getUsername() {
            return EmbeddedPostgresServer.RUNTIME_LOGIN;
        }

        @Override
        public String getPassword() {
            return null;
        }
    }

    /** The owner login Flyway migrates as. (A separate type: each bean must match only its own interface.) */
    private record MigrationLogin(String getJdbcUrl) implements FlywayConnectionDetails {

        @Override
        public String getUsername() {
            return EmbeddedPostgresServer.OWNER_LOGIN;
        }

        @Override
        public String getPassword() {
            return null;
        }
    }

    static class NoExternalDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
