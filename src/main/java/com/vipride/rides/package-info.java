/**
 * Rides: the ride record, its lifecycle and ride history for riders, drivers and fleets.
 * Uses platform (security, web) and pricing.
 */
@ApplicationModule(allowedDependencies = {"platform::security", "platform::web", "pricing"})
package com.vipride.rides;

import org.springframework.modulith.ApplicationModule;
