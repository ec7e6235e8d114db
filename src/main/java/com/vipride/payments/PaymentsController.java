package com.vipride.payments;

import java.time.Instant;
import java.util.UUID;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Payments")
class PaymentsController {

    private final Payments payments;

    PaymentsController(Payments payments) {
        this.payments = payments;
    }

    @GetMapping("/api/v1/payments/{id}")
    @Operation(summary = "A payment the caller may see; 404 otherwise")
    @Transactional(readOnly = true)
    public PaymentView payment(@PathVariable UUID id) {
        return payments.findById(id).orElseThrow(() -> NotFound.of("payment", id));
    }

    @GetMapping("/api/v1/payments")
    @Operation(summary = "The caller's own payments, newest first")
    @Transactional(readOnly = true)
    public Page<PaymentView> mine(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
                                  @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        var items = payments.ofPayer(CurrentCaller.get().requireUserId(), before == null ? Instant.now() : before, limit);
        return Page.of(items, limit, PaymentView::createdAt);
    }
}
