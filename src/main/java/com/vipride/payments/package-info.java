/**
 * Payments: what riders and partners pay, refunds and disputes, payouts and the ledger.
 * Uses platform.
 */
package com.vipride.payments;
