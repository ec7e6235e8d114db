package com.vipride.rides;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.pricing.FareQuote;
import com.vipride.pricing.FareQuotes;
import com.vipride.pricing.RouteVault;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ride requests of the signed-in rider, one database call each ({@code public.request_ride}): it
 * claims the Idempotency-Key, takes the quote (refusing an expired or foreign one), claims the nearest
 * suitable driver and inserts the ride already assigned, or pending when nobody is in range; a ride scheduled
 * for later is inserted pending and left to the dispatcher pass. With an Idempotency-Key a retry returns the
 * first request's ride.
 */
@Service
class RideRequests {

    /** Where a VIP ride's sealed route is stored; its envelope is bound to the ride's quote id (one ride each). */
    static final String ROUTE_TABLE = "public.rides";

    private static final String REQUEST = "SELECT " + Rides.COLUMNS
            + " FROM public.request_ride(:quote, :key, :fingerprint, :pickupAddress, :dropoffAddress, NULL, NULL, NULL,"
            + " CAST(:scheduledFor AS timestamptz))";
    private static final String SEALED_REQUEST = "SELECT " + Rides.COLUMNS
            + " FROM public.request_ride(:quote, :key, :fingerprint, NULL, NULL, :pickupLat, :pickupLng, :route,"
            + " CAST(:scheduledFor AS timestamptz))";
    private static final String QUOTE_ROUTE =
            "SELECT customer_id, route_enc FROM public.fare_quotes WHERE id = :quote AND route_enc IS NOT NULL";
    private static final String KEYED_RIDE =
            "SELECT " + Rides.COLUMNS + " FROM public.ride_of_request_key(:key, :fingerprint) r WHERE r.id IS NOT NULL";

    /** Printable ASCII without spaces, as ride_request_keys_key_chk bounds its length. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final JdbcClient jdbc;
    private final FareQuotes quotes;
    private final RouteVault vault;

    RideRequests(JdbcClient jdbc, FareQuotes quotes, RouteVault vault) {
        this.jdbc = jdbc;
        this.quotes = quotes;
        this.vault = vault;
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
            FareQuote quote = quotes.quote(request.trip());
            if ("vip".equals(quote.riderTier())) {
                return sealed(quote.id(), request, idempotencyKey, fingerprint);
            }
            quoteId = quote.id();
        }
        return jdbc.sql(REQUEST)
                .param("quote", quoteId)
                .param("key", idempotencyKey)
                .param("fingerprint", fingerprint)
                .param("pickupAddress", request.pickupAddress())
                .param("dropoffAddress", request.dropoffAddress())
                .param("scheduledFor", request.scheduledFor())
                .query(Rides::ride)
                .single();
    }

    /**
     * A VIP's request: the database refused the plain one (vip-route-required) because a VIP's quote keeps
     * its points only sealed. The rider's own key opens the quote's route here, the ride's route (with the
     * addresses) is sealed for the ride, and the pickup goes to the claim in memory only.
     */
    @Transactional
    RideView requestSealed(RideRequest request, String idempotencyKey) {
        String fingerprint = idempotencyKey == null ? null : fingerprint(request);
        return sealed(request.quoteId(), request, idempotencyKey, fingerprint);
    }

    private RideView sealed(UUID quoteId, RideRequest request, String idempotencyKey, String fingerprint) {
        var quoted = jdbc.sql(QUOTE_ROUTE)
                .param("quote", quoteId)
                .query((rs, n) -> Map.entry(rs.getObject("customer_id", UUID.class), rs.getBytes("route_enc")))
                .optional()
                .orElseThrow(RideProblem::unsealedQuote);
        UUID rider = quoted.getKey();
        RouteVault.Route points = vault.open(rider, FareQuotes.ROUTE_TABLE, quoteId, quoted.getValue());
        RouteVault.Route route = new RouteVault.Route(
                points.pickupLat(),
                points.pickupLng(),
                request.pickupAddress(),
                points.dropoffLat(),
                points.dropoffLng(),
                request.dropoffAddress());
        return jdbc.sql(SEALED_REQUEST)
                .param("quote", quoteId)
                .param("key", idempotencyKey)
                .param("fingerprint", fingerprint)
                .param("pickupLat", points.pickupLat())
                .param("pickupLng", points.pickupLng())
                .param("route", vault.seal(rider, ROUTE_TABLE, quoteId, route))
                .param("scheduledFor", request.scheduledFor())
                .query(Rides::ride)
                .single();
    }

    /** Whether the database refused a request because it is a VIP's and must come sealed. */
    static boolean needsSealedRoute(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql
                    && "VR428".equals(psql.getSQLState())
                    && psql.getServerErrorMessage() != null
                    && "vip-route-required".equals(psql.getServerErrorMessage().getHint())) {
                return true;
            }
        }
        return false;
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
