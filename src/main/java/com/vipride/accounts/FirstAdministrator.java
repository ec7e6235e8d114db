package com.vipride.accounts;

import com.vipride.platform.security.SystemJobs;
import java.sql.SQLException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Creates the first system administrator of a fresh installation from the bootstrap settings, without
 * SQL. The database function it calls ({@code public.bootstrap_system_admin}) refuses once any system
 * administrator exists, so the settings can stay in place: they never create a second one. Only the
 * email is ever logged.
 */
@Component
class FirstAdministrator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

    private final BootstrapProperties settings;
    private final StaffAccounts staff;
    private final PasswordEncoder passwords;

    FirstAdministrator(BootstrapProperties settings, StaffAccounts staff, PasswordEncoder passwords) {
        this.settings = settings;
        this.staff = staff;
        this.passwords = passwords;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (StringUtils.hasText(settings.adminEmail())) {
            ensure(settings.adminEmail(), settings.adminPassword());
        }
    }

    /**
     * Creates the administrator unless one exists. A password that breaks the password rules is refused
     * (and the start fails) whether or not one exists, so a bad setting is noticed at once.
     */
    Outcome ensure(String email, String password) {
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        if (!PasswordRules.acceptable(password)) {
            throw new IllegalStateException("vipride.bootstrap.admin-password must be " + PasswordRules.DESCRIPTION
                    + " (the first administrator " + normalized + " was not created)");
        }
        return SystemJobs.run("bootstrap-admin", () -> {
            if (staff.systemAdminExists()) {
                log.info("A system administrator exists; the bootstrap administrator {} was not created", normalized);
                return Outcome.ADMIN_EXISTS;
            }
            try {
                staff.bootstrapSystemAdmin(normalized, passwords.encode(password));
            } catch (DataAccessException e) {
                // Another instance starting at the same moment created it first.
                if (refusedAsExisting(e)) {
                    log.info(
                            "A system administrator exists; the bootstrap administrator {} was not created",
                            normalized);
                    return Outcome.ADMIN_EXISTS;
                }
                throw e;
            }
            log.info("Created the first system administrator {}", normalized);
            return Outcome.CREATED;
        });
    }

    private static boolean refusedAsExisting(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "VR409".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    enum Outcome {
        CREATED,
        ADMIN_EXISTS
    }
}
