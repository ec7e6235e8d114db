package com.vipride.accounts;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first system administrator of a fresh installation, read at start and used only while no system
 * administrator exists. There is no default: without an email nothing is created.
 *
 * @param adminEmail    the first administrator's email (VIPRIDE_BOOTSTRAP_ADMIN_EMAIL)
 * @param adminPassword their password (VIPRIDE_BOOTSTRAP_ADMIN_PASSWORD): 10 to 128 characters, with a
 *                      letter and a digit
 */
@ConfigurationProperties("vipride.bootstrap")
record BootstrapProperties(String adminEmail, String adminPassword) {

    @Override
    public String toString() {
        return "BootstrapProperties[adminEmail=" + adminEmail + ", adminPassword=redacted]";
    }
}
