/**
 * Analytics: dashboards over the materialized views of the analytics schema (revenue, driver performance,
 * fleet utilisation, hotel referral revenue, VIP usage, compliance statistics) and their refresh. Uses platform.
 */
package com.vipride.analytics;
