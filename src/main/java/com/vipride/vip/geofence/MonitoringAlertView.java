package com.vipride.vip.geofence;

import java.time.Instant;
import java.util.UUID;

/** One row of monitoring.security_alerts. */
record MonitoringAlertView(
        Instant alertTime, String severity, String category, UUID subjectUserId, String detail, String reference) {}
