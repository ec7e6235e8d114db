package com.vipride.payments;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@Tag(name = "Payments")
class PaymentsController {

    private final Payments payments;
    private final MoneyMovements money;
    private final HotelBookingPayments bookings;

    PaymentsController(Payments payments, MoneyMovements money, HotelBookingPayments bookings) {
        this.payments = payments;
        this.money = money;
        this.bookings = bookings;
    }

    @PostMapping("/api/v1/hotel-bookings/{id}/payment")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Pay your confirmed hotel booking with your saved instrument; Idempotency-Key makes retries safe")
    PaymentView payBooking(
            @PathVariable UUID id,
            @RequestHeader(name = "Idempotency-Key", required = false) @Size(max = 255) String key) {
        return bookings.pay(id, key);
    }

    @GetMapping("/api/v1/payments/{id}")
    @Operation(summary = "A payment the caller may see; 404 otherwise")
    @Transactional(readOnly = true)
    PaymentView payment(@PathVariable UUID id) {
        return payments.findById(id).orElseThrow(() -> NotFound.of("payment", id));
    }

    @GetMapping("/api/v1/payments")
    @Operation(
            summary = "The caller's payments, newest first: paid by them (rides, bookings, subscription charges), "
                    + "to them as a leased vehicle's owner, or by the fleet they administer (lease payments)")
    @Transactional(readOnly = true)
    Page<PaymentView> mine(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        var items =
                payments.ofParty(CurrentCaller.get().requireUserId(), before == null ? Instant.now() : before, limit);
        return Page.of(items, limit, PaymentView::createdAt);
    }

    @GetMapping("/api/v1/users/{id}/payments")
    @Operation(
            summary = "A person's payments (paid by them, or to them as a leased vehicle's owner), newest first, each "
                    + "with its refunds and disputes: for support and system admins, and the person themself. "
                    + "Row-level security decides: another rider's list is empty")
    @Transactional(readOnly = true)
    Page<PaymentActivity> ofPerson(
            @PathVariable UUID id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        var items = payments.ofPerson(id, before == null ? Instant.now() : before, limit);
        return Page.of(items, limit, item -> item.payment().createdAt());
    }

    @GetMapping("/api/v1/hotels/{id}/payments")
    @Operation(
            summary = "A hotel's payments, newest first: the rides billed to its account. For the hotel's staff, "
                    + "support and system admins; row-level security decides (another hotel's list is empty)")
    @Transactional(readOnly = true)
    Page<PaymentView> ofHotel(
            @PathVariable UUID id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        var items = payments.ofHotel(id, before == null ? Instant.now() : before, limit);
        return Page.of(items, limit, PaymentView::createdAt);
    }

    @PostMapping("/api/v1/payments/{id}/refunds")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary =
                    "Refund part or all of a payment (support, system admin); never more than remains; Idempotency-Key")
    MoneyMovements.Refund refund(
            @PathVariable UUID id,
            @Valid @RequestBody MoneyRequests.RefundRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) @Size(max = 255) String key) {
        return money.refund(id, request.amountMinor(), request.reason(), key);
    }

    @PostMapping("/api/v1/payments/{id}/disputes")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a chargeback dispute (support, system admin); holds the payment's payouts")
    MoneyMovements.Dispute dispute(@PathVariable UUID id, @Valid @RequestBody MoneyRequests.DisputeRequest request) {
        return money.openDispute(id, request.amountMinor(), request.reason());
    }

    @PostMapping("/api/v1/disputes/{id}/resolution")
    @Operation(summary = "Move a dispute to under_review, won or lost (lost takes the amount back from the payees)")
    MoneyMovements.Dispute resolve(@PathVariable UUID id, @Valid @RequestBody MoneyRequests.DisputeResolution request) {
        return money.resolveDispute(id, request.status());
    }

    @GetMapping("/api/v1/earnings/balances")
    @Operation(summary = "What the platform owes the caller as driver, fleet, vehicle owner or hotel, per currency")
    List<MoneyMovements.Balance> balances() {
        return money.myBalances();
    }

    @GetMapping("/api/v1/earnings/statement")
    @Operation(summary = "The caller's payable ledger lines in [from, to), newest first")
    List<MoneyMovements.StatementLine> statement(
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return money.myStatement(from, to, limit);
    }
}
