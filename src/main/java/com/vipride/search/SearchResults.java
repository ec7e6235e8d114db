package com.vipride.search;

import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The search functions of the accounts, fleet and hotels capabilities (public.search_users,
 * search_drivers, search_vehicles, search_fleets, search_hotels), called as the signed-in caller.
 */
@Repository
class SearchResults {

    private static final String USERS = """
            SELECT id, email, phone, first_name, last_name, user_type, is_active, created_at
              FROM public.search_users(:q, CAST(:before AS timestamptz), :limit)""";
    private static final String DRIVERS = """
            SELECT id, user_id, first_name, last_name, license_number, fleet_company_id, status, city, created_at
              FROM public.search_drivers(:q, CAST(:before AS timestamptz), :limit)""";
    private static final String VEHICLES = """
            SELECT id, plate_number, make, model, color, vehicle_type, fleet_company_id, status, created_at
              FROM public.search_vehicles(:q, CAST(:before AS timestamptz), :limit)""";
    private static final String FLEETS = """
            SELECT id, name, status, operating_cities, created_at
              FROM public.search_fleets(:q, CAST(:before AS timestamptz), :limit)""";
    private static final String HOTELS = """
            SELECT id, name, city, partnership_tier, status, created_at
              FROM public.search_hotels(:q, CAST(:before AS timestamptz), :limit)""";

    private final JdbcClient jdbc;

    SearchResults(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    List<UserHit> users(String q, Instant before, int limit) {
        return query(USERS, q, before, limit)
                .query((rs, n) -> new UserHit(
                        rs.getObject("id", UUID.class),
                        rs.getString("email"),
                        rs.getString("phone"),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("user_type"),
                        rs.getBoolean("is_active"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    @Transactional(readOnly = true)
    List<DriverHit> drivers(String q, Instant before, int limit) {
        return query(DRIVERS, q, before, limit)
                .query((rs, n) -> new DriverHit(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("license_number"),
                        rs.getObject("fleet_company_id", UUID.class),
                        rs.getString("status"),
                        rs.getString("city"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    @Transactional(readOnly = true)
    List<VehicleHit> vehicles(String q, Instant before, int limit) {
        return query(VEHICLES, q, before, limit)
                .query((rs, n) -> new VehicleHit(
                        rs.getObject("id", UUID.class),
                        rs.getString("plate_number"),
                        rs.getString("make"),
                        rs.getString("model"),
                        rs.getString("color"),
                        rs.getString("vehicle_type"),
                        rs.getObject("fleet_company_id", UUID.class),
                        rs.getString("status"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    @Transactional(readOnly = true)
    List<FleetHit> fleets(String q, Instant before, int limit) {
        return query(FLEETS, q, before, limit)
                .query((rs, n) -> new FleetHit(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("status"),
                        Arrays.asList((String[]) rs.getArray("operating_cities").getArray()),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    @Transactional(readOnly = true)
    List<HotelHit> hotels(String q, Instant before, int limit) {
        return query(HOTELS, q, before, limit)
                .query((rs, n) -> new HotelHit(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("city"),
                        rs.getString("partnership_tier"),
                        rs.getString("status"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /**
     * Every parameter typed, a missing {@code before} too: the driver describes a statement that has a
     * parameter of unknown type, and before each later run of a described statement whose rows have no
     * size bound it waits for an extra round trip of its own.
     */
    private JdbcClient.StatementSpec query(String sql, String q, Instant before, int limit) {
        return jdbc.sql(sql)
                .param("q", q, Types.VARCHAR)
                .param("before", before == null ? null : before.toString(), Types.VARCHAR)
                .param("limit", limit, Types.INTEGER);
    }

    record UserHit(
            UUID id,
            String email,
            String phone,
            String firstName,
            String lastName,
            String userType,
            boolean active,
            Instant createdAt) {}

    record DriverHit(
            UUID id,
            UUID userId,
            String firstName,
            String lastName,
            String licenseNumber,
            UUID fleetId,
            String status,
            String city,
            Instant createdAt) {}

    record VehicleHit(
            UUID id,
            String plateNumber,
            String make,
            String model,
            String color,
            String vehicleType,
            UUID fleetId,
            String status,
            Instant createdAt) {}

    record FleetHit(UUID id, String name, String status, List<String> operatingCities, Instant createdAt) {}

    record HotelHit(UUID id, String name, String city, String partnershipTier, String status, Instant createdAt) {}
}
