package com.vipride.audit;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code --vipride.audit.verify-and-exit=true} a read-only, one-shot command that can run beside
 * the service: no web server, no migrations, no sealing, and lazy beans, so that only what verification
 * needs (the database connection) is created and no capability's scheduled job starts. Registered in
 * {@code META-INF/spring.factories}.
 */
public class AuditVerificationEnvironment implements EnvironmentPostProcessor {

    private static final String VERIFY_AND_EXIT = "vipride.audit.verify-and-exit";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(VERIFY_AND_EXIT, Boolean.class, false)) {
            return;
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "vipride-audit-verification",
                        Map.of(
                                "spring.main.web-application-type", "none",
                                "spring.main.lazy-initialization", "true",
                                "spring.flyway.enabled", "false",
                                "vipride.audit.sealing-enabled", "false")));
    }
}
