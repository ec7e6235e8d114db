/**
 * VIP protection: VIP profiles and their encrypted fields, envelope encryption and key rotation, VIP
 * location history, access logging, emergency override and geofencing. Uses platform (db, security,
 * web), accounts (promoting a customer to the VIP tier), rides (putting the VIP's ride into emergency) and pricing (it seals VIP riders' routes for quotes and rides).
 */
@ApplicationModule(
        allowedDependencies = {
            "platform::db",
            "platform::jobs",
            "platform::security",
            "platform::web",
            "accounts",
            "pricing",
            "rides"
        })
package com.vipride.vip;

import org.springframework.modulith.ApplicationModule;
