/**
 * Fleet: fleet companies, drivers and their presence (online, available, position), vehicles, leases and
 * driver subscriptions. Uses platform (web).
 */
@ApplicationModule(allowedDependencies = "platform::web")
package com.vipride.fleet;

import org.springframework.modulith.ApplicationModule;
