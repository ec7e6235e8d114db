/**
 * Dispatch: drivers going online and offline and streaming their position, ride offers to the nearest
 * suitable driver (the atomic claim is in SQL, database/dispatch/), answers to offers, and the
 * periodic dispatcher pass (offer timeouts, retries, expiry, stale drivers). Uses platform (security,
 * web) and fleet (the driver's presence).
 */
@ApplicationModule(allowedDependencies = {"platform::security", "platform::web", "fleet"})
package com.vipride.dispatch;

import org.springframework.modulith.ApplicationModule;
