package com.vipride.dispatch;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The signed-in driver's offers, and their answers (public.respond_to_ride_offer decides). */
@Service
class RideOffers {

    private final JdbcClient jdbc;

    RideOffers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    List<RideOffer> recent() {
        return jdbc.sql("""
                SELECT ride_id, ride_requested_at, pickup_distance_m, status, offered_at, expires_at, responded_at
                  FROM public.ride_offers WHERE driver_id = (SELECT public.current_driver_id())
                 ORDER BY offered_at DESC LIMIT 20""")
                .query((rs, n) -> new RideOffer(
                        rs.getObject("ride_id", UUID.class),
                        rs.getTimestamp("ride_requested_at").toInstant(),
                        rs.getInt("pickup_distance_m"),
                        rs.getString("status"),
                        rs.getTimestamp("offered_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("responded_at") == null
                                ? null
                                : rs.getTimestamp("responded_at").toInstant()))
                .list();
    }

    /** Returns "accepted" or "declined"; a closed or unknown offer is refused by the database. */
    @Transactional
    String respond(UUID rideId, boolean accept) {
        return jdbc.sql("SELECT public.respond_to_ride_offer(:ride, :accept)")
                .param("ride", rideId)
                .param("accept", accept)
                .query(String.class)
                .single();
    }
}
