/**
 * Payments: what riders and partners pay, refunds and disputes, payouts and the ledger.
 * Uses platform (jobs, security, web) and rides (it charges a ride when RideCompleted is published).
 */
@ApplicationModule(allowedDependencies = {"platform::jobs", "platform::security", "platform::web", "rides"})
package com.vipride.payments;

import org.springframework.modulith.ApplicationModule;
