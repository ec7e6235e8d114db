package com.vipride.payments;

import java.time.Instant;
import java.util.UUID;

/**
 * A payment as its parties (or staff) see it: never instrument details or processor references. The payer
 * is a user ({@code payerId}) or, for a lease payment, a fleet ({@code payerFleetCompanyId}, paying the
 * vehicle's owner {@code payeeUserId}); a lease payment names its statement, a subscription charge its
 * subscription.
 */
record PaymentView(
        UUID id,
        UUID payerId,
        UUID payerFleetCompanyId,
        UUID payerHotelId,
        UUID payeeUserId,
        String paymentType,
        UUID rideId,
        UUID leaseStatementId,
        UUID driverSubscriptionId,
        long amountMinor,
        String currency,
        long refundedMinor,
        String status,
        String method,
        Instant createdAt,
        Instant completedAt,
        Instant failedAt) {}
