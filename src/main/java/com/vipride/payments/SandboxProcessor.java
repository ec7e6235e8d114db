package com.vipride.payments;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The built-in processor of the embedded default and the tests: no network, deterministic. A token
 * starting {@code tok_decline} is declined; any other is charged with a fee of 1.5 % + 100 minor units,
 * capped at 200,000 (Paystack's local card pricing, in kobo). The reference is derived from the
 * idempotency key, so a retried charge has the same reference.
 */
@Component
class SandboxProcessor implements PaymentProcessor {

    static final String NAME = "sandbox";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChargeResult charge(String instrumentToken, long amountMinor, String currency, String idempotencyKey) {
        String reference = "sbx_" + UUID.nameUUIDFromBytes(idempotencyKey.getBytes(StandardCharsets.UTF_8));
        if (instrumentToken == null || instrumentToken.startsWith("tok_decline")) {
            return new ChargeResult(false, reference, 0, "card_declined");
        }
        return new ChargeResult(true, reference, fee(amountMinor), null);
    }

    static long fee(long amountMinor) {
        return Math.min(200_000, Math.round(amountMinor * 0.015) + 100);
    }
}
