package com.vipride.payments;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.platform.web.NotFound;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A rider pays their own confirmed hotel booking with their saved instrument; the database records the
 * outcome and posts the hotel's share and the platform's commission. With an Idempotency-Key a retry
 * returns the first attempt's payment without charging again.
 */
@Service
class HotelBookingPayments {

    private final JdbcClient jdbc;
    private final Payments payments;
    private final Map<String, PaymentProcessor> processors;

    HotelBookingPayments(JdbcClient jdbc, Payments payments, List<PaymentProcessor> processors) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.processors = processors.stream().collect(Collectors.toMap(PaymentProcessor::name, Function.identity()));
    }

    @Transactional
    PaymentView pay(UUID booking, String idempotencyKey) {
        UUID payer = CurrentCaller.get().requireUserId();
        if (idempotencyKey != null) {
            var earlier = jdbc.sql("""
                    SELECT id FROM public.payments
                     WHERE payer_id = :payer AND idempotency_key = :key AND hotel_booking_id = :booking""")
                    .param("payer", payer)
                    .param("key", idempotencyKey)
                    .param("booking", booking)
                    .query(UUID.class)
                    .optional();
            if (earlier.isPresent()) {
                return payments.findById(earlier.get()).orElseThrow();
            }
        }
        var due = jdbc.sql(
                        "SELECT total_minor, currency FROM public.hotel_bookings WHERE id = :id AND customer_id = :payer")
                .param("id", booking)
                .param("payer", payer)
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .optional()
                .orElseThrow(() -> NotFound.of("hotel booking", booking));
        var instrument = jdbc.sql("""
                SELECT method, processor, processor_token FROM public.payment_methods
                 WHERE user_id = :payer ORDER BY created_at DESC LIMIT 1""")
                .param("payer", payer)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .optional()
                .orElseThrow(
                        () -> InvalidRequest.of("no-payment-method", "Save a card, bank account or wallet first."));
        PaymentProcessor processor = processors.get(instrument[1]);
        if (processor == null) {
            throw new IllegalStateException("no payment processor named " + instrument[1]);
        }
        var result = processor.charge(
                instrument[2],
                due.getKey(),
                due.getValue(),
                "booking:" + booking + ":" + (idempotencyKey == null ? UUID.randomUUID() : idempotencyKey));
        UUID payment = jdbc.sql("""
                SELECT public.record_hotel_booking_payment(:booking, :method, :processor, :reference, :fee, :ok, :failure, :key)""")
                .param("booking", booking)
                .param("method", instrument[0])
                .param("processor", instrument[1])
                .param("reference", result.reference())
                .param("fee", result.feeMinor())
                .param("ok", result.succeeded())
                .param("failure", result.failureReason())
                .param("key", idempotencyKey)
                .query(UUID.class)
                .single();
        return payments.findById(payment).orElseThrow();
    }
}
