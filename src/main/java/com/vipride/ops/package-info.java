/**
 * Operations: partition upkeep, archive and retention, vacuum and statistics, backups — each a job on
 * the platform's cluster-safe scheduler with a recorded history — and database monitoring. Uses
 * platform (jobs, security).
 */
@ApplicationModule(allowedDependencies = {"platform::jobs", "platform::security"})
package com.vipride.ops;

import org.springframework.modulith.ApplicationModule;
