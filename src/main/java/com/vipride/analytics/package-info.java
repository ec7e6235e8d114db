/**
 * Analytics: dashboards over the materialized views of the analytics schema (revenue, driver performance,
 * fleet utilisation, hotel referral revenue, VIP usage, compliance statistics) and their refresh. Uses
 * platform (jobs, security, web).
 */
@ApplicationModule(allowedDependencies = {"platform::jobs", "platform::security", "platform::web"})
package com.vipride.analytics;

import org.springframework.modulith.ApplicationModule;
