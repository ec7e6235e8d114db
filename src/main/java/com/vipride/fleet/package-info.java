/**
 * Fleet: fleet companies (applications, vetting, suspension), drivers (applications, decisions, VIP
 * vetting) and their presence (online, available, position), vehicles (registration, VIP certification,
 * assignment), the documents of drivers and vehicles (the files in a pluggable {@link
 * com.vipride.fleet.DocumentStore}) and the reminders before they expire, leases and driver
 * subscriptions. Uses platform (web, jobs).
 */
@ApplicationModule(allowedDependencies = {"platform::web", "platform::jobs"})
package com.vipride.fleet;

import org.springframework.modulith.ApplicationModule;
