package com.vipride.fleet;

import com.vipride.fleet.FleetViews.DriverView;
import com.vipride.fleet.FleetViews.FleetCompanyView;
import com.vipride.fleet.FleetViews.VehicleView;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads drivers, vehicles and fleet companies under the caller's row-level security. */
@Repository
class FleetRecords {

    private static final String DRIVER = """
            SELECT id, user_id, fleet_company_id, current_vehicle_id, category, subscription_tier, status,
                   vip_vetted_at IS NOT NULL AS vip_vetted, is_online, is_available, city, rating, total_rides
              FROM public.drivers WHERE id = :id AND deleted_at IS NULL""";
    private static final String VEHICLE = """
            SELECT id, plate_number, make, model, model_year, color, vehicle_type, seats, fleet_company_id,
                   owner_user_id, vip_certified, status
              FROM public.vehicles WHERE id = :id AND deleted_at IS NULL""";
    private static final String FLEET = """
            SELECT id, name, registration_number, contact_email, contact_phone, status, verified_at
              FROM public.fleet_companies WHERE id = :id AND deleted_at IS NULL""";

    private final JdbcClient jdbc;

    FleetRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<DriverView> driver(UUID id) {
        return jdbc.sql(DRIVER)
                .param("id", id)
                .query((rs, n) -> new DriverView(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("fleet_company_id", UUID.class),
                        rs.getObject("current_vehicle_id", UUID.class),
                        rs.getString("category"),
                        rs.getString("subscription_tier"),
                        rs.getString("status"),
                        rs.getBoolean("vip_vetted"),
                        rs.getBoolean("is_online"),
                        rs.getBoolean("is_available"),
                        rs.getString("city"),
                        rs.getBigDecimal("rating"),
                        rs.getInt("total_rides")))
                .optional();
    }

    Optional<VehicleView> vehicle(UUID id) {
        return jdbc.sql(VEHICLE)
                .param("id", id)
                .query((rs, n) -> new VehicleView(
                        rs.getObject("id", UUID.class),
                        rs.getString("plate_number"),
                        rs.getString("make"),
                        rs.getString("model"),
                        rs.getInt("model_year"),
                        rs.getString("color"),
                        rs.getString("vehicle_type"),
                        rs.getInt("seats"),
                        rs.getObject("fleet_company_id", UUID.class),
                        rs.getObject("owner_user_id", UUID.class),
                        rs.getBoolean("vip_certified"),
                        rs.getString("status")))
                .optional();
    }

    Optional<FleetCompanyView> fleet(UUID id) {
        return jdbc.sql(FLEET)
                .param("id", id)
                .query((rs, n) -> {
                    Timestamp verified = rs.getTimestamp("verified_at");
                    return new FleetCompanyView(
                            rs.getObject("id", UUID.class),
                            rs.getString("name"),
                            rs.getString("registration_number"),
                            rs.getString("contact_email"),
                            rs.getString("contact_phone"),
                            rs.getString("status"),
                            verified == null ? null : verified.toInstant());
                })
                .optional();
    }
}
