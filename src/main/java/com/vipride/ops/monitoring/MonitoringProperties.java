package com.vipride.ops.monitoring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Database monitoring.
 *
 * @param healthTimeout how long /actuator/health waits for monitoring.database_health before it reports
 *                      the database checks as UNKNOWN
 */
@Validated
@ConfigurationProperties("vipride.ops.monitoring")
record MonitoringProperties(@DefaultValue("5s") Duration healthTimeout) {}
