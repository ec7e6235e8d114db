/**
 * Safety: SOS for every ride's rider and driver, safety incidents and the control centre's workflow
 * (queue, acknowledge, assign, notes, resolve, timeline, time-boxed access to the ride's live position and
 * the parties' phones and emergency contacts, escalation of incidents not acknowledged in time, monitoring figures), and each rider's and driver's own emergency contacts. The rules
 * are SQL functions in database/safety/. Uses platform (security, web, jobs).
 */
@ApplicationModule(allowedDependencies = {"platform::security", "platform::web", "platform::jobs"})
package com.vipride.safety;

import org.springframework.modulith.ApplicationModule;
