package com.vipride.fleet;

import com.vipride.fleet.FleetViews.DocumentView;
import com.vipride.fleet.FleetViews.DriverView;
import com.vipride.fleet.FleetViews.FleetCompanyView;
import com.vipride.fleet.FleetViews.FleetDriver;
import com.vipride.fleet.FleetViews.FleetLease;
import com.vipride.fleet.FleetViews.FleetRide;
import com.vipride.fleet.FleetViews.VehicleView;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads drivers, vehicles, fleet companies, their documents and a fleet's lists under the caller's
 * row-level security: what the caller may not see is simply not there.
 */
@Repository
class FleetRecords {

    private static final String DRIVER = """
            SELECT id, user_id, fleet_company_id, current_vehicle_id, category, subscription_tier, status, status_reason,
                   vip_vetted_at IS NOT NULL AS vip_vetted, is_online, is_available, city, rating, total_rides,
                   license_expires_on, documents_valid_until
              FROM public.drivers WHERE id = :id AND deleted_at IS NULL""";
    private static final String VEHICLE_COLUMNS = """
            v.id, v.plate_number, v.make, v.model, v.model_year, v.color, v.vehicle_type, v.seats, v.fleet_company_id,
            v.owner_user_id, v.vip_certified, v.status, v.documents_valid_until, v.created_at""";
    private static final String VEHICLE =
            "SELECT " + VEHICLE_COLUMNS + " FROM public.vehicles v WHERE v.id = :id AND v.deleted_at IS NULL";
    private static final String FLEET = """
            SELECT id, name, registration_number, contact_email, contact_phone, operating_cities, status, status_reason,
                   verified_at
              FROM public.fleet_companies WHERE id = :id AND deleted_at IS NULL""";

    private static final String FLEET_DRIVERS = """
            SELECT d.id, d.user_id, u.first_name, u.last_name, u.email, d.category, d.status, d.license_number,
                   d.documents_valid_until, d.current_vehicle_id, d.is_online, d.created_at
              FROM public.drivers d LEFT JOIN public.users u ON u.id = d.user_id
             WHERE d.fleet_company_id = :fleet AND d.deleted_at IS NULL
               AND (CAST(:pattern AS text) IS NULL OR d.license_number ILIKE :pattern OR u.first_name ILIKE :pattern
                    OR u.last_name ILIKE :pattern OR u.email ILIKE :pattern)
               AND (CAST(:before AS timestamptz) IS NULL OR d.created_at < :before)
             ORDER BY d.created_at DESC LIMIT :limit""";
    private static final String FLEET_VEHICLES = "SELECT " + VEHICLE_COLUMNS + """
              FROM public.vehicles v
             WHERE v.fleet_company_id = :fleet AND v.deleted_at IS NULL
               AND (CAST(:pattern AS text) IS NULL OR v.plate_number ILIKE :pattern OR v.make ILIKE :pattern
                    OR v.model ILIKE :pattern)
               AND (CAST(:before AS timestamptz) IS NULL OR v.created_at < :before)
             ORDER BY v.created_at DESC LIMIT :limit""";
    private static final String FLEET_LEASES = """
            SELECT l.id, l.vehicle_id, v.plate_number, l.owner_user_id, l.lease_type, l.currency, l.fixed_monthly_minor,
                   l.revenue_share_bp, l.starts_on, l.ends_on, l.status, l.created_at
              FROM public.vehicle_leases l LEFT JOIN public.vehicles v ON v.id = l.vehicle_id
             WHERE l.fleet_company_id = :fleet
               AND (CAST(:pattern AS text) IS NULL OR v.plate_number ILIKE :pattern OR l.status ILIKE :pattern)
               AND (CAST(:before AS timestamptz) IS NULL OR l.created_at < :before)
             ORDER BY l.created_at DESC LIMIT :limit""";
    private static final String FLEET_RIDES = """
            SELECT id, requested_at, status::text AS status, city, driver_id, vehicle_id, currency, estimated_fare_minor,
                   final_fare_minor
              FROM public.rides
             WHERE fleet_company_id = :fleet
               AND (CAST(:status AS text) IS NULL OR status::text = :status)
               AND (CAST(:before AS timestamptz) IS NULL OR requested_at < :before)
             ORDER BY requested_at DESC LIMIT :limit""";

    private static final String DOCUMENT_COLUMNS = """
            id, driver_id, vehicle_id, kind, document_number, issuer, expires_on, content_type, size_bytes, sha256,
            superseded_at IS NULL AS current, created_at, storage_key""";
    private static final String DOCUMENTS_OF = "SELECT " + DOCUMENT_COLUMNS + """
              FROM public.fleet_documents
             WHERE (driver_id = :driver OR vehicle_id = :vehicle)
             ORDER BY created_at DESC""";
    private static final String DOCUMENT = "SELECT " + DOCUMENT_COLUMNS + " FROM public.fleet_documents WHERE id = :id";

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
                        rs.getString("status_reason"),
                        rs.getBoolean("vip_vetted"),
                        rs.getBoolean("is_online"),
                        rs.getBoolean("is_available"),
                        rs.getString("city"),
                        rs.getBigDecimal("rating"),
                        rs.getInt("total_rides"),
                        date(rs, "license_expires_on"),
                        date(rs, "documents_valid_until")))
                .optional();
    }

    Optional<VehicleView> vehicle(UUID id) {
        return jdbc.sql(VEHICLE).param("id", id).query(VEHICLE_ROW).optional();
    }

    Optional<FleetCompanyView> fleet(UUID id) {
        return jdbc.sql(FLEET)
                .param("id", id)
                .query((rs, n) -> new FleetCompanyView(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("registration_number"),
                        rs.getString("contact_email"),
                        rs.getString("contact_phone"),
                        strings(rs.getArray("operating_cities")),
                        rs.getString("status"),
                        rs.getString("status_reason"),
                        instant(rs, "verified_at")))
                .optional();
    }

    List<FleetDriver> fleetDrivers(UUID fleet, String search, Instant before, int limit) {
        return jdbc.sql(FLEET_DRIVERS)
                .param("fleet", fleet)
                .param("pattern", pattern(search))
                .param("before", timestamp(before))
                .param("limit", limit)
                .query((rs, n) -> new FleetDriver(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("email"),
                        rs.getString("category"),
                        rs.getString("status"),
                        rs.getString("license_number"),
                        date(rs, "documents_valid_until"),
                        rs.getObject("current_vehicle_id", UUID.class),
                        rs.getBoolean("is_online"),
                        instant(rs, "created_at")))
                .list();
    }

    List<VehicleView> fleetVehicles(UUID fleet, String search, Instant before, int limit) {
        return jdbc.sql(FLEET_VEHICLES)
                .param("fleet", fleet)
                .param("pattern", pattern(search))
                .param("before", timestamp(before))
                .param("limit", limit)
                .query(VEHICLE_ROW)
                .list();
    }

    List<FleetLease> fleetLeases(UUID fleet, String search, Instant before, int limit) {
        return jdbc.sql(FLEET_LEASES)
                .param("fleet", fleet)
                .param("pattern", pattern(search))
                .param("before", timestamp(before))
                .param("limit", limit)
                .query((rs, n) -> new FleetLease(
                        rs.getObject("id", UUID.class),
                        rs.getObject("vehicle_id", UUID.class),
                        rs.getString("plate_number"),
                        rs.getObject("owner_user_id", UUID.class),
                        rs.getString("lease_type"),
                        rs.getString("currency"),
                        rs.getLong("fixed_monthly_minor"),
                        rs.getInt("revenue_share_bp"),
                        date(rs, "starts_on"),
                        date(rs, "ends_on"),
                        rs.getString("status"),
                        instant(rs, "created_at")))
                .list();
    }

    List<FleetRide> fleetRides(UUID fleet, String status, Instant before, int limit) {
        return jdbc.sql(FLEET_RIDES)
                .param("fleet", fleet)
                .param("status", status)
                .param("before", timestamp(before))
                .param("limit", limit)
                .query((rs, n) -> new FleetRide(
                        rs.getObject("id", UUID.class),
                        instant(rs, "requested_at"),
                        rs.getString("status"),
                        rs.getString("city"),
                        rs.getObject("driver_id", UUID.class),
                        rs.getObject("vehicle_id", UUID.class),
                        rs.getString("currency"),
                        rs.getObject("estimated_fare_minor", Long.class),
                        rs.getObject("final_fare_minor", Long.class)))
                .list();
    }

    List<DocumentView> documentsOf(UUID driver, UUID vehicle) {
        return jdbc.sql(DOCUMENTS_OF)
                .param("driver", driver)
                .param("vehicle", vehicle)
                .query(DOCUMENT_ROW)
                .list();
    }

    Optional<StoredDocument> document(UUID id) {
        return jdbc.sql(DOCUMENT)
                .param("id", id)
                .query((rs, n) -> new StoredDocument(DOCUMENT_ROW.mapRow(rs, n), rs.getString("storage_key")))
                .optional();
    }

    record StoredDocument(DocumentView view, String storageKey) {}

    private static final RowMapper<VehicleView> VEHICLE_ROW = (rs, n) -> new VehicleView(
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
            rs.getString("status"),
            date(rs, "documents_valid_until"),
            instant(rs, "created_at"));

    private static final RowMapper<DocumentView> DOCUMENT_ROW = (rs, n) -> new DocumentView(
            rs.getObject("id", UUID.class),
            rs.getObject("driver_id", UUID.class),
            rs.getObject("vehicle_id", UUID.class),
            rs.getString("kind"),
            rs.getString("document_number"),
            rs.getString("issuer"),
            date(rs, "expires_on"),
            rs.getString("content_type"),
            rs.getInt("size_bytes"),
            HexFormat.of().formatHex(rs.getBytes("sha256")),
            rs.getBoolean("current"),
            instant(rs, "created_at"));

    /** A case-insensitive substring pattern, with LIKE's wildcards in the search taken literally. */
    private static String pattern(String search) {
        if (search == null || search.isBlank()) {
            return null;
        }
        return "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    /** A date column; 'infinity' (no expiring document) reads as null. */
    private static LocalDate date(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null || text.equals("infinity") ? null : LocalDate.parse(text);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
