/**
 * The cluster-safe scheduler: recurring jobs that run on exactly one instance, with a recorded history
 * of their runs. Exposed to the capabilities as the named interface {@code platform::jobs}.
 */
@NamedInterface("jobs")
package com.vipride.platform.jobs;

import org.springframework.modulith.NamedInterface;
