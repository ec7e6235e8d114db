/**
 * Database monitoring: monitoring.database_health and monitoring.performance_metrics for system_admin and
 * audit_admin over the API, and the service's health indicator, which is DOWN while the database reports a
 * critical condition. Uses platform (security).
 */
package com.vipride.ops.monitoring;
