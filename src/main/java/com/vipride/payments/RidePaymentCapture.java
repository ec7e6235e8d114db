package com.vipride.payments;

import com.vipride.rides.RideCompleted;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Charges a ride when it completes (our choice: charge at completion, the fare being known only then)
 * and records the outcome, which posts the fare's journal entries — all in the completing transaction.
 * A declined charge is recorded as a failed payment and the ride stays completed; cash rides are
 * recorded as collected by the driver, and a ride billed to a hotel is charged to the hotel's partner balance
 * (never to the guest's instrument). The sandbox processor runs in-process; a networked processor
 * would authorise at request and capture here through its own idempotency key (the ride id).
 */
@Component
class RidePaymentCapture {

    private final JdbcClient jdbc;
    private final Map<String, PaymentProcessor> processors;

    RidePaymentCapture(JdbcClient jdbc, List<PaymentProcessor> processors) {
        this.jdbc = jdbc;
        this.processors = processors.stream().collect(Collectors.toMap(PaymentProcessor::name, Function.identity()));
    }

    @EventListener
    void on(RideCompleted ride) {
        var requestedAt = ride.requestedAt().atOffset(ZoneOffset.UTC);
        Instrument instrument = jdbc.sql(
                        "SELECT method, processor, processor_token FROM public.ride_payment_instrument(:id, :at)")
                .param("id", ride.rideId())
                .param("at", requestedAt)
                .query((rs, n) -> new Instrument(rs.getString(1), rs.getString(2), rs.getString(3)))
                .single();
        PaymentProcessor.ChargeResult result;
        if (instrument.method().equals("cash") || instrument.method().equals("hotel_account")) {
            // Cash is collected by the driver; a ride billed to a hotel is charged to the hotel's account.
            result = new PaymentProcessor.ChargeResult(true, null, 0, null);
        } else {
            PaymentProcessor processor = processors.get(instrument.processor());
            if (processor == null) {
                throw new IllegalStateException("no payment processor named " + instrument.processor());
            }
            result = processor.charge(
                    instrument.token(), ride.finalFareMinor(), ride.currency(), "ride:" + ride.rideId());
        }
        jdbc.sql("SELECT public.record_ride_payment(:id, :at, :method, :processor, :reference, :fee, :ok, :failure)")
                .param("id", ride.rideId())
                .param("at", requestedAt)
                .param("method", instrument.method())
                .param("processor", instrument.processor())
                .param("reference", result.reference())
                .param("fee", result.feeMinor())
                .param("ok", result.succeeded())
                .param("failure", result.failureReason())
                .query(UUID.class)
                .single();
    }

    private record Instrument(String method, String processor, String token) {}
}
