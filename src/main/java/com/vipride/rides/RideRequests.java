package com.vipride.rides;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.pricing.FareQuotes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ride requests of the signed-in rider, one database call each ({@code public.request_ride}): it
 * claims the Idempotency-Key, takes the quote (refusing an expired or foreign one), claims the nearest
 * suitable driver and inserts the ride already assigned, or pending when nobody is in range. With an
 * Idempotency-Key a retry returns the first request's ride.
 */
@Service
class RideRequests {

    private static final String REQUEST = "SELECT " + Rides.COLUMNS
            + " FROM public.request_ride(:quote, :key, :fingerprint, :pickupAddress, :dropoffAddress)";
    private static final String KEYED_RIDE =
            "SELECT " + Rides.COLUMNS + " FROM public.ride_of_request_key(:key, :fingerprint) r WHERE r.id IS NOT NULL";

    /** Printable ASCII without spaces, as ride_request_keys_key_chk bounds its length. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final JdbcClient jdbc;
    private final FareQuotes quotes;

    RideRequests(JdbcClient jdbc, FareQuotes quotes) {
        this.jdbc = jdbc;
        this.quotes = quotes;
    }

    @Transactional
    RideView request(RideRequest request, String idempotencyKey) {
        if ((request.quoteId() == null) == (request.trip() == null)) {
            throw RideProblem.quoteOrTrip();
        }
        CurrentCaller.get().requireUserId();
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw RideProblem.invalidIdempotencyKey();
        }
        String fingerprint = idempotencyKey == null ? null : fingerprint(request);
        UUID quoteId = request.quoteId();
        if (quoteId == null) {
            // A retried trip request returns its ride without pricing the trip again.
            Optional<RideView> earlier =
                    idempotencyKey == null ? Optional.empty() : keyedRide(idempotencyKey, fingerprint);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            quoteId = quotes.quote(request.trip()).id();
        }
        return jdbc.sql(REQUEST)
                .param("quote", quoteId)
                .param("key", idempotencyKey)
                .param("fingerprint", fingerprint)
                .param("pickupAddress", request.pickupAddress())
                .param("dropoffAddress", request.dropoffAddress())
                .query(Rides::ride)
                .single();
    }

    private Optional<RideView> keyedRide(String key, String fingerprint) {
        return jdbc.sql(KEYED_RIDE)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .query(Rides::ride)
                .optional();
    }

    private static String fingerprint(RideRequest request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(request.fingerprint().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
