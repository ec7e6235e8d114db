package com.vipride.payments;

import java.time.Instant;
import java.util.UUID;

/** A payment as its payer (or staff) sees it: never instrument details or processor references. */
public record PaymentView(UUID id, UUID payerId, String paymentType, UUID rideId, long amountMinor, String currency,
                          long refundedMinor, String status, String method, Instant createdAt, Instant completedAt) {
}
