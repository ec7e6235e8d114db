package com.vipride.payments;

/**
 * A payment processor (card acquirer, bank transfer, wallet). Implementations are Spring beans named by
 * {@link #name()}, the value stored in payments.processor and payment_methods.processor.
 */
interface PaymentProcessor {

    String name();

    /** Charges a saved instrument; the idempotency key makes a retried charge the same charge. */
    ChargeResult charge(String instrumentToken, long amountMinor, String currency, String idempotencyKey);

    /** The outcome of a charge: the processor's reference and fee on success, a reason on failure. */
    record ChargeResult(boolean succeeded, String reference, long feeMinor, String failureReason) {}
}
