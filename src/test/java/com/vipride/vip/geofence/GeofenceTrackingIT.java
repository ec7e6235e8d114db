package com.vipride.vip.geofence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.platform.security.AccessTokens;
import com.vipride.platform.web.ApiException;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.Rides;
import com.vipride.support.Rides.Ride;
import com.vipride.support.TestAccounts.SignedIn;
import com.vipride.vip.geofence.GeofenceTracker.Position;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * vip_data.track_geofences as the location ingest uses it: transitions recorded once, alerts raised on
 * leaving a safe zone or entering a restricted one and de-duplicated within the window, reporting
 * allowed to the VIP, the driver of their active ride and vip_admin only, bad input refused whole.
 */
class GeofenceTrackingIT extends IntegrationTest {

    /** A 0.01° square over Lagos Island (x = lng, y = lat). */
    private static final String SQUARE = "((3.38,6.45),(3.39,6.45),(3.39,6.46),(3.38,6.46))";

    private static final double[] INSIDE = {6.455, 3.385};
    private static final double[] OUTSIDE = {6.47, 3.385};
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.UTC);

    @Autowired
    private GeofenceTracker tracker;

    @Autowired
    private PlatformTransactionManager transactions;

    private SignedIn vip;

    @BeforeEach
    void aVip() {
        vip = accounts().aSignedInCustomer();
        superuser()
                .sql("UPDATE public.users SET tier = 'vip' WHERE id = :id")
                .param("id", vip.id())
                .update();
    }

    @AfterEach
    void clearCaller() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void enteringAndLeavingARestrictedZoneIsRecordedOnceEachAndRaisesOneAlert() {
        UUID zone = polygonZone("restricted");

        int raised = trackAsVip(
                List.of(ping(OUTSIDE, 0), ping(INSIDE, 1), ping(INSIDE, 2), ping(INSIDE, 3), ping(INSIDE, 4)));
        raised += trackAsVip(List.of(ping(INSIDE, 5), ping(OUTSIDE, 6), ping(OUTSIDE, 7)));

        assertThat(raised).isEqualTo(1);
        assertThat(events(zone)).containsExactly("enter@" + at(1), "exit@" + at(6));
        assertThat(alerts(zone)).containsExactly("geofence_enter_restricted@" + at(1) + " x1 open");
        assertThat(state(zone)).isEqualTo(Map.of("inside", false, "since", at(6), "last", at(7)));
    }

    @Test
    void leavingASafeZoneIsRecordedOnceAndRaisesOneAlert() {
        UUID zone = circleZone("safe", INSIDE, 300);

        int raised = trackAsVip(
                List.of(ping(INSIDE, 0), ping(INSIDE, 1), ping(OUTSIDE, 2), ping(OUTSIDE, 3), ping(OUTSIDE, 4)));

        assertThat(raised).isEqualTo(1);
        assertThat(events(zone)).containsExactly("enter@" + at(0), "exit@" + at(2));
        assertThat(alerts(zone)).containsExactly("geofence_exit_safe@" + at(2) + " x1 open");
    }

    @Test
    void aZoneStartsWithTheVipOutsideSoAFirstPositionOutsideASafeZoneRaisesNothing() {
        UUID zone = circleZone("safe", INSIDE, 300);

        assertThat(trackAsVip(List.of(ping(OUTSIDE, 0), ping(OUTSIDE, 1)))).isZero();

        assertThat(events(zone)).isEmpty();
        assertThat(alerts(zone)).isEmpty();
    }

    @Test
    void aStreamOfTriggersWithinTheWindowRaisesOneAlertAndATriggerAfterItANewOne() {
        UUID zone = polygonZone("restricted");
        List<Position> flapping = new ArrayList<>();
        for (int minute = 0; minute <= 8; minute++) {
            flapping.add(ping(minute % 2 == 0 ? INSIDE : OUTSIDE, minute));
        }

        assertThat(trackAsVip(flapping)).isEqualTo(1);
        assertThat(alerts(zone)).containsExactly("geofence_enter_restricted@" + at(0) + " x5 open");
        assertThat(lastSeen(zone)).containsExactly(at(8));

        assertThat(trackAsVip(List.of(ping(OUTSIDE, 9), ping(INSIDE, 10), ping(OUTSIDE, 11), ping(INSIDE, 12))))
                .as("the window of the first alert ends at minute 10")
                .isEqualTo(1);
        assertThat(alerts(zone))
                .containsExactly(
                        "geofence_enter_restricted@" + at(0) + " x5 open",
                        "geofence_enter_restricted@" + at(10) + " x2 open");
        assertThat(events(zone)).hasSize(13);
    }

    @Test
    void anAcknowledgedAlertIsNotJoinedByLaterTriggers() {
        UUID zone = polygonZone("restricted");
        trackAsVip(List.of(ping(INSIDE, 0), ping(OUTSIDE, 1)));
        superuser().sql("""
                UPDATE vip_data.security_alerts SET acknowledged_at = now(), acknowledged_by = :admin WHERE geofence_id = :zone""").param("admin", vip.id()).param("zone", zone).update();

        assertThat(trackAsVip(List.of(ping(INSIDE, 2)))).isEqualTo(1);

        assertThat(alerts(zone))
                .containsExactly(
                        "geofence_enter_restricted@" + at(0) + " x1 acknowledged",
                        "geofence_enter_restricted@" + at(2) + " x1 open");
    }

    @Test
    void theDeduplicationWindowIsASetting() {
        UUID zone = polygonZone("restricted");
        superuser()
                .sql("UPDATE vip_data.geofence_settings SET alert_dedup_window = interval '1 minute'")
                .update();
        try {
            assertThat(trackAsVip(List.of(
                            ping(INSIDE, 0),
                            ping(OUTSIDE, 0.5),
                            ping(INSIDE, 0.75),
                            ping(OUTSIDE, 1),
                            ping(INSIDE, 1.5))))
                    .isEqualTo(2);
        } finally {
            superuser()
                    .sql("UPDATE vip_data.geofence_settings SET alert_dedup_window = interval '10 minutes'")
                    .update();
        }
        assertThat(alerts(zone))
                .containsExactly(
                        "geofence_enter_restricted@" + at(0) + " x2 open",
                        "geofence_enter_restricted@" + at(1.5) + " x1 open");
    }

    @Test
    void positionsNoNewerThanTheLatestProcessedChangeNothing() {
        UUID zone = polygonZone("restricted");
        trackAsVip(List.of(ping(INSIDE, 5)));

        assertThat(trackAsVip(List.of(ping(OUTSIDE, 3), ping(OUTSIDE, 5)))).isZero();

        assertThat(events(zone)).containsExactly("enter@" + at(5));
        assertThat(state(zone).get("inside")).isEqualTo(true);
    }

    @Test
    void positionsOfOneBatchAreProcessedInTimeOrderWhateverTheirListOrder() {
        UUID zone = polygonZone("restricted");

        trackAsVip(List.of(ping(OUTSIDE, 2), ping(INSIDE, 1), ping(OUTSIDE, 0)));

        assertThat(events(zone)).containsExactly("enter@" + at(1), "exit@" + at(2));
    }

    @Test
    void anInactiveZoneIsNotTracked() {
        UUID zone = polygonZone("restricted");
        superuser()
                .sql("UPDATE vip_data.geofences SET active = false, deactivated_at = now() WHERE id = :id")
                .param("id", zone)
                .update();

        assertThat(trackAsVip(List.of(ping(INSIDE, 0)))).isZero();
        assertThat(events(zone)).isEmpty();
    }

    @Test
    void aCircleIsMeasuredOnTheSameSphereAsEarthdistance() {
        UUID zone = circleZone("restricted", INSIDE, 1000);
        double degreesPerMetre = Math.toDegrees(1.0 / 6_378_168.0);
        double[] justInside = {INSIDE[0] + 995 * degreesPerMetre, INSIDE[1]};
        double[] justOutside = {INSIDE[0] + 1005 * degreesPerMetre, INSIDE[1]};

        trackAsVip(List.of(ping(justOutside, 0), ping(justInside, 1), ping(justOutside, 2)));

        assertThat(events(zone)).containsExactly("enter@" + at(1), "exit@" + at(2));
        double insideDistance = superuser()
                .sql("""
                SELECT public.earth_distance(public.ll_to_earth(:lat, :lng), public.ll_to_earth(:lat2, :lng2))""")
                .param("lat", INSIDE[0])
                .param("lng", INSIDE[1])
                .param("lat2", justInside[0])
                .param("lng2", justInside[1])
                .query(Double.class)
                .single();
        assertThat(insideDistance).isBetween(994.9, 995.1);
    }

    @Test
    void theDriverOfTheVipsActiveRideMayReportOtherDriversAndRidersMayNot() {
        UUID zone = polygonZone("restricted");
        SignedIn otherDriver = accounts().aSignedInStaffMember("driver");
        SignedIn otherRider = accounts().aSignedInCustomer();
        RideWorld market = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        Driver driver = market.driverAt(100, "sedan", 4, true);
        SignedIn onTheRide = driver.user();
        driverRecord(otherDriver.id());
        Rides rides = rides(market);
        Ride ride = rides.aStartedRide(vip.id(), driver);

        assertThat(track("driver_user", onTheRide.id(), vip.id(), List.of(ping(INSIDE, 0))))
                .isEqualTo(1);
        assertRefused(() -> track("driver_user", otherDriver.id(), vip.id(), List.of(ping(OUTSIDE, 1))), "42501");
        assertRefused(() -> track("customer_user", otherRider.id(), vip.id(), List.of(ping(OUTSIDE, 1))), "42501");
        assertRefused(
                () -> track(
                        "support_agent",
                        accounts().aSignedInStaffMember("support_agent").id(),
                        vip.id(),
                        List.of(ping(OUTSIDE, 1))),
                "42501");

        rides.complete(ride, driver, 1_000);
        assertRefused(() -> track("driver_user", onTheRide.id(), vip.id(), List.of(ping(OUTSIDE, 1))), "42501");

        assertThat(superuser()
                        .sql(
                                "SELECT reporter_role || ':' || reported_by FROM vip_data.geofence_events WHERE geofence_id = :z")
                        .param("z", zone)
                        .query(String.class)
                        .list())
                .containsExactly("driver_user:" + onTheRide.id());
        assertThat(track(
                        "vip_admin",
                        accounts().aSignedInStaffMember("vip_admin").id(),
                        vip.id(),
                        List.of(ping(OUTSIDE, 2))))
                .isZero();
        assertThat(events(zone)).containsExactly("enter@" + at(0), "exit@" + at(2));
    }

    @Test
    void badPositionsAreRefusedWholeAndWriteNothing() {
        UUID zone = polygonZone("restricted");

        assertRefused(
                () -> trackRaw(vip.id(), "{6.455,91}", "{3.385,3.385}", "{" + at(0) + "," + at(1) + "}"), "22023");
        assertRefused(
                () -> trackRaw(vip.id(), "{6.455,6.455}", "{3.385,-181}", "{" + at(0) + "," + at(1) + "}"), "22023");
        assertRefused(
                () -> trackRaw(vip.id(), "{6.455,NaN}", "{3.385,3.385}", "{" + at(0) + "," + at(1) + "}"), "22023");
        assertRefused(() -> trackRaw(vip.id(), "{6.455}", "{3.385,3.385}", "{" + at(0) + "}"), "22023");
        assertRefused(() -> trackRaw(vip.id(), "{6.455}", "{3.385}", "{NULL}"), "22023");

        assertThat(events(zone)).isEmpty();
        assertThat(alerts(zone)).isEmpty();
        assertThat(state(zone)).isEmpty();
    }

    @Test
    void eventsAndAlertsHoldNoCoordinates() {
        List<String> columns = superuser().sql("""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                 WHERE table_schema = 'vip_data' AND table_name IN ('geofence_events', 'security_alerts', 'geofence_states')
                   AND (column_name ~ '(lat|lng|lon|coord|position|point)' OR data_type IN ('point', 'polygon', 'bytea'))""").query(String.class).list();

        assertThat(columns).isEmpty();
    }

    @Test
    void theJavaTrackerRunsInTheCallersTransaction() {
        UUID zone = polygonZone("restricted");
        actAs(vip.id(), "customer_user");
        TransactionTemplate transaction = new TransactionTemplate(transactions);

        Integer raised =
                transaction.execute(status -> tracker.track(vip.id(), List.of(ping(OUTSIDE, 0), ping(INSIDE, 1))));
        assertThat(raised).isEqualTo(1);

        transaction.executeWithoutResult(status -> {
            tracker.track(vip.id(), List.of(ping(OUTSIDE, 2)));
            status.setRollbackOnly();
        });
        assertThat(events(zone)).as("rolled back with its transaction").containsExactly("enter@" + at(1));

        assertThatThrownBy(() -> tracker.track(vip.id(), List.of(ping(OUTSIDE, 3))))
                .isInstanceOf(IllegalTransactionStateException.class);
        assertThatThrownBy(() -> transaction.execute(status ->
                        tracker.track(vip.id(), List.of(ping(OUTSIDE, 3), new Position(95, 3.385, Instant.now())))))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid-position"));
        assertThat(events(zone)).containsExactly("enter@" + at(1));
    }

    // ------------------------------------------------------------------------------------------

    private UUID polygonZone(String kind) {
        return superuser()
                .sql("""
                INSERT INTO vip_data.geofences (vip_user_id, kind, name, shape, boundary, created_by)
                VALUES (:vip, :kind, 'Zone', 'polygon', CAST(:boundary AS polygon), :vip) RETURNING id""")
                .param("vip", vip.id())
                .param("kind", kind)
                .param("boundary", SQUARE)
                .query(UUID.class)
                .single();
    }

    private UUID circleZone(String kind, double[] center, int radiusM) {
        return superuser()
                .sql("""
                INSERT INTO vip_data.geofences (vip_user_id, kind, name, shape, center_lat, center_lng, radius_m, created_by)
                VALUES (:vip, :kind, 'Zone', 'circle', :lat, :lng, :radius, :vip) RETURNING id""")
                .param("vip", vip.id())
                .param("kind", kind)
                .param("lat", center[0])
                .param("lng", center[1])
                .param("radius", radiusM)
                .query(UUID.class)
                .single();
    }

    private static Position ping(double[] where, double minutes) {
        return new Position(where[0], where[1], T0.toInstant().plusMillis((long) (minutes * 60_000)));
    }

    private static String at(double minutes) {
        return T0.toInstant().plusMillis((long) (minutes * 60_000)).toString();
    }

    private int trackAsVip(List<Position> points) {
        return track("customer_user", vip.id(), vip.id(), points);
    }

    private int track(String role, UUID caller, UUID vipUserId, List<Position> points) {
        return ActingAs.inTransaction(
                dataSourceFor("app_backend"),
                role,
                caller,
                sql -> trackIn(
                        sql,
                        vipUserId,
                        array(points, p -> String.valueOf(p.lat())),
                        array(points, p -> String.valueOf(p.lng())),
                        array(points, p -> p.recordedAt().toString())));
    }

    private int trackRaw(UUID vipUserId, String lats, String lngs, String times) {
        return ActingAs.inTransaction(
                dataSourceFor("app_backend"),
                "customer_user",
                vipUserId,
                sql -> trackIn(sql, vipUserId, lats, lngs, times));
    }

    private static int trackIn(
            org.springframework.jdbc.core.simple.JdbcClient sql,
            UUID vipUserId,
            String lats,
            String lngs,
            String times) {
        return sql.sql("""
                SELECT vip_data.track_geofences(:vip, CAST(:lats AS float8[]), CAST(:lngs AS float8[]),
                                                CAST(:times AS timestamptz[]))""")
                .param("vip", vipUserId)
                .param("lats", lats)
                .param("lngs", lngs)
                .param("times", times)
                .query(Integer.class)
                .single();
    }

    private static String array(List<Position> points, java.util.function.Function<Position, String> value) {
        return points.stream().map(value).collect(Collectors.joining(",", "{", "}"));
    }

    private List<String> events(UUID zone) {
        return superuser()
                .sql("""
                SELECT event, occurred_at FROM vip_data.geofence_events WHERE geofence_id = :zone ORDER BY occurred_at, id""")
                .param("zone", zone)
                .query((rs, n) -> rs.getString("event") + "@"
                        + rs.getTimestamp("occurred_at").toInstant())
                .list();
    }

    private List<String> alerts(UUID zone) {
        return superuser()
                .sql("""
                SELECT kind, raised_at, occurrences, acknowledged_at IS NULL AS open FROM vip_data.security_alerts
                 WHERE geofence_id = :zone ORDER BY raised_at""")
                .param("zone", zone)
                .query((rs, n) -> rs.getString("kind") + "@"
                        + rs.getTimestamp("raised_at").toInstant() + " x" + rs.getInt("occurrences")
                        + (rs.getBoolean("open") ? " open" : " acknowledged"))
                .list();
    }

    private List<String> lastSeen(UUID zone) {
        return superuser()
                .sql("SELECT last_seen_at FROM vip_data.security_alerts WHERE geofence_id = :zone")
                .param("zone", zone)
                .query((rs, n) -> rs.getTimestamp(1).toInstant().toString())
                .list();
    }

    private Map<String, Object> state(UUID zone) {
        return superuser()
                .sql("SELECT inside, since, last_recorded_at FROM vip_data.geofence_states WHERE geofence_id = :zone")
                .param("zone", zone)
                .query((rs, n) -> Map.<String, Object>of(
                        "inside",
                        rs.getBoolean("inside"),
                        "since",
                        rs.getTimestamp("since").toInstant().toString(),
                        "last",
                        rs.getTimestamp("last_recorded_at").toInstant().toString()))
                .optional()
                .orElse(Map.of());
    }

    private UUID driverRecord(UUID user) {
        return superuser()
                .sql("""
                INSERT INTO public.drivers (user_id, license_number, license_expires_on, category, status)
                VALUES (:user, :licence, DATE '2030-01-01', 'private_driver', 'approved') RETURNING id""")
                .param("user", user)
                .param("licence", "LIC-" + UUID.randomUUID())
                .query(UUID.class)
                .single();
    }

    private void actAs(UUID userId, String role) {
        Jwt jwt = Jwt.withTokenValue("test")
                .header("alg", "none")
                .subject(userId.toString())
                .claim(AccessTokens.ROLE_CLAIM, role)
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plus(1, ChronoUnit.HOURS))
                .build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
    }

    private static void assertRefused(Runnable call, String sqlState) {
        assertThatThrownBy(call::run)
                .hasRootCauseInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(rootSqlState(e)).isEqualTo(sqlState));
    }

    private static String rootSqlState(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return ((SQLException) cause).getSQLState();
    }
}
