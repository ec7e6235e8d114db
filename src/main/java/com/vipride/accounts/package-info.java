/**
 * Accounts: registration, login with rotating refresh tokens and lock-out, the signed-in user's
 * profile, tiers and consent; the first administrator, staff accounts and their management. Uses
 * platform (security, web) only.
 */
@ApplicationModule(allowedDependencies = {"platform::jobs", "platform::security", "platform::web"})
package com.vipride.accounts;

import org.springframework.modulith.ApplicationModule;
