package com.vipride.rides;

import java.sql.Timestamp;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.pricing.FareQuotes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ride requests of the signed-in rider: the ride is created from its quote (the database copies the
 * priced trip from it and refuses an expired or foreign one) and offered to the nearest suitable
 * driver in the same transaction. With an Idempotency-Key a retry returns the first request's ride.
 */
@Service
public class RideRequests {

    private final JdbcClient jdbc;
    private final FareQuotes quotes;
    private final Rides rides;

    RideRequests(JdbcClient jdbc, FareQuotes quotes, Rides rides) {
        this.jdbc = jdbc;
        this.quotes = quotes;
        this.rides = rides;
    }

    @Transactional
    public RideView request(RideRequest request, String idempotencyKey) {
        if ((request.quoteId() == null) == (request.trip() == null)) {
            throw RideProblem.quoteOrTrip();
        }
        UUID customer = CurrentCaller.get().requireUserId();
        if (idempotencyKey != null) {
            if (!idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
                throw RideProblem.invalidIdempotencyKey();
            }
            Optional<RideView> earlier = earlierRequest(customer, idempotencyKey, fingerprint(request));
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        UUID quoteId = request.quoteId() != null ? request.quoteId() : quotes.quote(request.trip()).id();
        var created = jdbc.sql("""
                INSERT INTO public.rides (customer_id, quote_id, pickup_address, dropoff_address)
                VALUES (:customer, :quote, :pickupAddress, :dropoffAddress)
                RETURNING id, requested_at""")
                .param("customer", customer)
                .param("quote", quoteId)
                .param("pickupAddress", request.pickupAddress())
                .param("dropoffAddress", request.dropoffAddress())
                .query((rs, n) -> new RideKey(rs.getObject("id", UUID.class), rs.getTimestamp("requested_at")))
                .single();
        jdbc.sql("SELECT public.dispatch_ride(:id, :requestedAt)")
                .param("id", created.id())
                .param("requestedAt", created.requestedAt())
                .query(UUID.class)
                .optional();
        if (idempotencyKey != null) {
            jdbc.sql("""
                    UPDATE public.ride_request_keys SET ride_id = :id, ride_requested_at = :requestedAt
                     WHERE customer_id = :customer AND idempotency_key = :key""")
                    .param("id", created.id())
                    .param("requestedAt", created.requestedAt())
                    .param("customer", customer)
                    .param("key", idempotencyKey)
                    .update();
        }
        return rides.find(created.id(), created.requestedAt().toInstant()).orElseThrow();
    }

    /**
     * Claims the key, or finds the ride of the request that claimed it. A concurrent request with the
     * same key waits on the key's primary key until the first commits, then finds its ride here.
     */
    private Optional<RideView> earlierRequest(UUID customer, String key, String fingerprint) {
        int claimed = jdbc.sql("""
                INSERT INTO public.ride_request_keys (customer_id, idempotency_key, request_fingerprint)
                VALUES (:customer, :key, :fingerprint) ON CONFLICT DO NOTHING""")
                .param("customer", customer)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .update();
        if (claimed == 1) {
            return Optional.empty();
        }
        var earlier = jdbc.sql("""
                SELECT request_fingerprint, ride_id, ride_requested_at FROM public.ride_request_keys
                 WHERE customer_id = :customer AND idempotency_key = :key""")
                .param("customer", customer)
                .param("key", key)
                .query((rs, n) -> new EarlierRequest(rs.getString(1), rs.getObject(2, UUID.class), rs.getTimestamp(3)))
                .single();
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw RideProblem.idempotencyKeyReused();
        }
        return rides.find(earlier.rideId(), earlier.requestedAt().toInstant());
    }

    private static String fingerprint(RideRequest request) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(request.fingerprint().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record RideKey(UUID id, Timestamp requestedAt) {
    }

    private record EarlierRequest(String fingerprint, UUID rideId, Timestamp requestedAt) {
    }
}
