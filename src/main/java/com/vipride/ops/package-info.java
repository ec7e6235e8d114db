/**
 * Operations: partition upkeep, archive and retention, vacuum and statistics, backups — each a job on
 * the platform's cluster-safe scheduler with a recorded history. Uses platform.
 */
package com.vipride.ops;
