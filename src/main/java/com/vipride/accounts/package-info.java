/**
 * Accounts: registration, login with rotating refresh tokens and lock-out, the signed-in user's
 * profile, tiers and consent. Uses platform only.
 */
package com.vipride.accounts;
