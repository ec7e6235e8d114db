/**
 * Payments: what riders and partners pay, refunds and disputes, payouts and the ledger.
 * Uses platform and rides (it charges a ride when RideCompleted is published).
 */
package com.vipride.payments;
