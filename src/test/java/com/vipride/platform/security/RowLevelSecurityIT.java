package com.vipride.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.Rides;
import com.vipride.support.SecurityWorld;
import com.vipride.support.TestAccounts.Registered;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The rules behind the matrix's filtered cells, each shown from both sides, straight in SQL as the
 * service's login acting for a user — so they hold for any client, not only for the service.
 */
class RowLevelSecurityIT extends IntegrationTest {

    private SecurityWorld world;

    @BeforeEach
    void world() {
        world = SecurityWorld.get(accounts(), superuser());
    }

    @Test
    void customerReadsOwnRidesOnlyAndCannotRequestOneForSomeoneElse() {
        asUser("customer_user", world.customerA.id(), sql -> {
            assertThat(sql.sql("SELECT DISTINCT customer_id FROM public.rides")
                            .query(UUID.class)
                            .list())
                    .containsExactly(world.customerA.id());
            assertThat(sql.sql("SELECT count(*) FROM public.rides WHERE id = :id")
                            .param("id", world.rideBAssigned.id())
                            .query(Long.class)
                            .single())
                    .isZero();
            assertRefused(() -> insertRide(sql, world.customerB.id(), "normal"), "row-level security");
        });
    }

    @Test
    void customerCannotRequestARideAboveTheirTierNorRaiseTheirTier() {
        asUser("customer_user", world.customerB.id(), sql -> {
            assertRefused(() -> insertRide(sql, world.customerB.id(), "vip"), "row-level security");
            UUID quote = sql.sql(
                            "SELECT id FROM public.quote_fare('lagos', 'sedan', 'per_ride', 1, 6.5, 3.4, 6.6, 3.5)")
                    .query(UUID.class)
                    .single();
            UUID ride = sql.sql("""
                    INSERT INTO public.rides (customer_id, customer_tier, quote_id) VALUES (:customer, 'vip', :quote)
                    RETURNING id""")
                    .param("customer", world.customerB.id())
                    .param("quote", quote)
                    .query(UUID.class)
                    .single();
            assertThat(sql.sql("SELECT customer_tier::text FROM public.rides WHERE id = :id")
                            .param("id", ride)
                            .query(String.class)
                            .single())
                    .as("the tier comes from the quote, not the request")
                    .isEqualTo("normal");
            assertRefused(
                    () -> sql.sql("UPDATE public.users SET tier = 'vip' WHERE id = :id")
                            .param("id", world.customerB.id())
                            .update(),
                    "permission denied");
        });
    }

    @Test
    void driverSeesAssignedRidesButThePickupOnlyWhileTheRideIsActive() {
        asUser("driver_user", world.driverUser1.id(), sql -> {
            assertThat(sql.sql("SELECT DISTINCT driver_id FROM public.rides")
                            .query(UUID.class)
                            .list())
                    .containsExactly(world.driver1);
            assertRefused(
                    () -> sql.sql("SELECT pickup_address FROM public.rides")
                            .query(String.class)
                            .list(),
                    "permission denied");
            // Rider A is a VIP: the route comes only sealed (public.ride_trip / ride_route), never in clear.
            assertThat(route(sql, world.rideAActive))
                    .containsEntry("pickup_address", null)
                    .containsEntry("rider_first_name", "Ada");
            assertThat(route(sql, world.rideACompleted)).isEmpty();
            assertThat(route(sql, world.rideBAssigned))
                    .as("another driver's active ride")
                    .isEmpty();
        });
    }

    @Test
    void fleetAdminSeesOwnFleetOnlyAndCannotRegisterVehiclesForAnotherFleet() {
        asUser("fleet_admin", world.fleetAdmin1.id(), sql -> {
            assertThat(sql.sql("SELECT id FROM public.drivers")
                            .query(UUID.class)
                            .list())
                    .containsExactly(world.driver1);
            assertThat(sql.sql("SELECT DISTINCT fleet_company_id FROM public.rides")
                            .query(UUID.class)
                            .list())
                    .containsExactly(world.fleet1);
            assertThat(sql.sql("SELECT count(*) FROM public.fleet_companies WHERE id = :id")
                            .param("id", world.fleet2)
                            .query(Long.class)
                            .single())
                    .isZero();
            assertRefused(() -> insertVehicle(sql, world.fleet2), "row-level security");
            assertThat(insertVehicle(sql, world.fleet1)).isEqualTo(1);
        });
    }

    @Test
    void leasePaymentsAreSeenByThePayingFleetAndThePaidOwnerAndSubscriptionChargesByTheirDriverOnly() {
        String payments = "SELECT id FROM public.payments WHERE id IN ('%s', '%s', '%s')"
                .formatted(world.leasePaymentToA, world.leasePaymentToDriver1, world.subscriptionPayment1);
        asUser(
                "fleet_admin",
                world.fleetAdmin1.id(),
                sql -> assertThat(sql.sql(payments).query(UUID.class).list()).containsExactly(world.leasePaymentToA));
        asUser(
                "fleet_admin",
                world.fleetAdmin2.id(),
                sql -> assertThat(sql.sql(payments).query(UUID.class).list())
                        .containsExactly(world.leasePaymentToDriver1));
        asUser(
                "customer_user",
                world.customerA.id(),
                sql -> assertThat(sql.sql(payments).query(UUID.class).list()).containsExactly(world.leasePaymentToA));
        asUser(
                "customer_user",
                world.customerB.id(),
                sql -> assertThat(sql.sql(payments).query(UUID.class).list()).isEmpty());
        asUser(
                "driver_user",
                world.driverUser1.id(),
                sql -> assertThat(sql.sql(payments).query(UUID.class).list())
                        .containsExactlyInAnyOrder(world.leasePaymentToDriver1, world.subscriptionPayment1));
        asUser(
                "driver_user",
                world.driverUser2.id(),
                sql -> assertThat(sql.sql(payments).query(UUID.class).list()).isEmpty());
        asUser(
                "hotel_staff",
                world.hotelStaff1.id(),
                sql -> assertThat(sql.sql(payments).query(UUID.class).list())
                        .as("a hotel sees only what it paid")
                        .isEmpty());
    }

    @Test
    void hotelStaffSeeTheirHotelsBookingsWithTheGuestDetailsButNoRiderAccounts() {
        asUser("hotel_staff", world.hotelStaff1.id(), sql -> {
            assertThat(sql.sql("SELECT id FROM public.hotel_bookings")
                            .query(UUID.class)
                            .list())
                    .containsExactly(world.bookingA);
            assertThat(sql.sql("SELECT guest_name FROM public.hotel_bookings")
                            .query(String.class)
                            .single())
                    .isEqualTo("Ada Obi");
            assertThat(sql.sql("SELECT id FROM public.users").query(UUID.class).list())
                    .containsExactly(world.hotelStaff1.id());
            assertThat(sql.sql("UPDATE public.hotel_bookings SET status = 'checked_in' WHERE id = :id")
                            .param("id", world.bookingB)
                            .update())
                    .as("another hotel's booking")
                    .isZero();
        });
    }

    @Test
    void supportReadsRidersAndRidesButNeverVipDataOrPaymentInstruments() {
        asUser("support_agent", world.support.id(), sql -> {
            assertThat(sql.sql("SELECT count(*) FROM public.users WHERE id IN (:a, :b)")
                            .param("a", world.customerA.id())
                            .param("b", world.customerB.id())
                            .query(Long.class)
                            .single())
                    .isEqualTo(2);
            assertThat(sql.sql("SELECT count(*) FROM public.rides WHERE id = :id")
                            .param("id", world.rideBAssigned.id())
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
            assertRefused(
                    () -> sql.sql("SELECT count(*) FROM vip_data.vip_profiles")
                            .query(Long.class)
                            .single(),
                    "permission denied");
            assertRefused(
                    () -> sql.sql("SELECT count(*) FROM public.payment_methods")
                            .query(Long.class)
                            .single(),
                    "permission denied");
            assertRefused(
                    () -> sql.sql("SELECT processor_reference FROM public.payments")
                            .query(String.class)
                            .list(),
                    "permission denied");
            assertThat(sql.sql("SELECT amount_minor FROM public.payments WHERE id = :id")
                            .param("id", world.paymentA)
                            .query(Long.class)
                            .single())
                    .isEqualTo(10_000);
        });
    }

    @Test
    void everyWriteBySupportIsAudited() {
        Registered rider = accounts().aRegisteredCustomer();

        asUserCommitting(
                "support_agent",
                world.support.id(),
                sql -> assertThat(sql.sql("UPDATE public.users SET is_active = false WHERE id = :id")
                                .param("id", rider.id())
                                .update())
                        .isEqualTo(1));

        AuditChain.drain(superuser());
        Map<String, Object> entry =
                superuser().sql("""
                SELECT user_id, db_role, changed_fields, old_values ->> 'is_active' AS was, new_values ->> 'is_active' AS now
                  FROM audit.audit_log WHERE table_name = 'users' AND record_id = :id AND operation = 'UPDATE'
                 ORDER BY "timestamp" DESC LIMIT 1""").param("id", rider.id().toString()).query().singleRow();
        assertThat(entry)
                .containsEntry("user_id", world.support.id())
                .containsEntry("db_role", "support_agent")
                .containsEntry("was", "true")
                .containsEntry("now", "false");
    }

    @Test
    void supportCannotTouchStaffAccounts() {
        asUser(
                "support_agent",
                world.support.id(),
                sql -> assertThat(sql.sql("UPDATE public.users SET is_active = false WHERE id = :id")
                                .param("id", world.vipAdmin.id())
                                .update())
                        .isZero());
    }

    @Test
    void vipOperatorReadsProfilesButCannotWriteThemWhileVipAdminCan() {
        asUser("vip_operator", world.vipOperator.id(), sql -> {
            assertThat(sql.sql("SELECT count(*) FROM vip_data.vip_profiles WHERE user_id = :id")
                            .param("id", world.customerA.id())
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
            assertRefused(
                    () -> sql.sql("UPDATE vip_data.vip_profiles SET threat_level = 'low'")
                            .update(),
                    "permission denied");
            assertRefused(
                    () -> sql.sql("SELECT count(*) FROM vip_data.vip_location_history")
                            .query(Long.class)
                            .single(),
                    "permission denied");
        });
        asUser(
                "vip_admin",
                world.vipAdmin.id(),
                sql -> assertThat(
                                sql.sql("UPDATE vip_data.vip_profiles SET last_reviewed_at = now() WHERE user_id = :id")
                                        .param("id", world.customerC.id())
                                        .update())
                        .isEqualTo(1));
    }

    @Test
    void aVipReadsTheirOwnSelfServiceFieldsButNotTheSecurityTeamsNotes() {
        asUser("customer_user", world.customerA.id(), sql -> {
            assertThat(sql.sql("SELECT user_id FROM vip_data.vip_profiles")
                            .query(UUID.class)
                            .list())
                    .containsExactly(world.customerA.id());
            assertRefused(
                    () -> sql.sql("SELECT security_notes_enc FROM vip_data.vip_profiles")
                            .query(byte[].class)
                            .list(),
                    "permission denied");
            assertRefused(
                    () -> sql.sql("UPDATE vip_data.vip_profiles SET priority_level = 5")
                            .update(),
                    "permission denied");
        });
    }

    @Test
    void emergencyResponderSeesAVipOnlyWhileTheirEmergencyIsOpenAndUnexpired() {
        Registered vip = accounts().aRegisteredCustomer();
        superuser()
                .sql("UPDATE public.users SET tier = 'vip' WHERE id = :id")
                .param("id", vip.id())
                .update();
        superuser()
                .sql("INSERT INTO vip_data.vip_profiles (user_id) VALUES (:id)")
                .param("id", vip.id())
                .update();
        for (String age : List.of("0 minutes", "10 minutes", "3 hours")) {
            superuser()
                    .sql("INSERT INTO vip_data.vip_location_history (user_id, encrypted_coordinates, recorded_at) "
                            + "VALUES (:id, '\\x00'::bytea, now() - CAST(:age AS interval))")
                    .param("id", vip.id())
                    .param("age", age)
                    .update();
        }
        Consumer<long[]> expectVisible = expected -> asUser("emergency_responder", world.responder.id(), sql -> {
            assertThat(sql.sql("SELECT count(*) FROM vip_data.vip_profiles WHERE user_id = :id")
                            .param("id", vip.id())
                            .query(Long.class)
                            .single())
                    .isEqualTo(expected[0]);
            assertThat(sql.sql("SELECT count(*) FROM vip_data.vip_location_history WHERE user_id = :id")
                            .param("id", vip.id())
                            .query(Long.class)
                            .single())
                    .isEqualTo(expected[1]);
        });

        expectVisible.accept(new long[] {0, 0});

        UUID incident =
                superuser().sql("""
                INSERT INTO vip_data.emergency_incidents (vip_user_id, raised_by, kind) VALUES (:id, :id, 'panic_button')
                RETURNING id""").param("id", vip.id()).query(UUID.class).single();
        expectVisible.accept(new long[] {1, 2});

        superuser()
                .sql("UPDATE vip_data.emergency_incidents SET opened_at = now() - interval '5 hours', "
                        + "access_expires_at = now() - interval '1 hour' WHERE id = :id")
                .param("id", incident)
                .update();
        expectVisible.accept(new long[] {0, 0});

        superuser()
                .sql(
                        "UPDATE vip_data.emergency_incidents SET opened_at = now(), access_expires_at = now() + interval '1 hour' "
                                + "WHERE id = :id")
                .param("id", incident)
                .update();
        expectVisible.accept(new long[] {1, 2});
        superuser()
                .sql("UPDATE vip_data.emergency_incidents SET status = 'resolved', resolved_at = now() WHERE id = :id")
                .param("id", incident)
                .update();
        expectVisible.accept(new long[] {0, 0});
    }

    @Test
    void aMissingIdentitySeesNoRowsNeverAllRows() {
        for (String role : List.of("customer_user", "driver_user", "fleet_admin", "hotel_staff")) {
            asUser(role, null, sql -> {
                assertThat(sql.sql("SELECT count(*) FROM public.users")
                                .query(Long.class)
                                .single())
                        .as(role)
                        .isZero();
                if (!role.equals("hotel_staff")) {
                    assertThat(sql.sql("SELECT count(*) FROM public.rides")
                                    .query(Long.class)
                                    .single())
                            .as(role)
                            .isZero();
                }
            });
        }
    }

    @Test
    void noRoleCanChangeOrDeleteAuditRowsNotEvenTheOwner() {
        for (String role : List.of("audit_admin", "compliance_officer", "system_admin")) {
            asUser(role, world.identityFor(role).orElseThrow(), sql -> {
                assertRefused(
                        () -> sql.sql("UPDATE audit.audit_log SET operation = 'INSERT'")
                                .update(),
                        "permission denied");
                assertRefused(() -> sql.sql("DELETE FROM audit.audit_log").update(), "permission denied");
            });
        }
        JdbcClient owner = loginAs("vipride_owner");
        assertThat(owner.sql("DELETE FROM audit.audit_log").update())
                .as("FORCE RLS leaves the owner nothing to delete")
                .isZero();
        assertThat(owner.sql("UPDATE audit.vip_access_log SET purpose = 'x'").update())
                .isZero();
    }

    @Test
    void viewsRunWithTheCallersRightsAndMaterializedViewsAreGrantedOnlyToRolesThatSeeAllTheirRows() {
        List<String> definerViews = superuser().sql("""
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'v' AND n.nspname IN ('public', 'vip_data', 'audit', 'analytics', 'archive', 'monitoring')
                   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
                   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')""").query(String.class).list();
        assertThat(definerViews).isEmpty();

        AccessMatrix matrix = AccessMatrix.load();
        List<Map<String, Object>> readers = superuser()
                .sql("""
                SELECT DISTINCT mv.oid::regclass::text AS view, sn.nspname || '.' || src.relname AS source, r.rolname AS role
                  FROM pg_class mv
                  JOIN pg_rewrite rw ON rw.ev_class = mv.oid
                  JOIN pg_depend d ON d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> mv.oid
                  JOIN pg_class src ON src.oid = d.refobjid
                  JOIN pg_namespace sn ON sn.oid = src.relnamespace
                  CROSS JOIN pg_roles r
                 WHERE mv.relkind = 'm' AND r.rolname = ANY(:roles) AND has_table_privilege(r.oid, mv.oid, 'SELECT')""")
                .param("roles", matrix.roles().toArray(String[]::new))
                .query()
                .listOfRows();
        assertThat(readers)
                .allSatisfy(row -> assertThat(
                                matrix.expected((String) row.get("source"), (String) row.get("role"), "SELECT"))
                        .as(
                                "%s may read %s only if it sees every row of %s",
                                row.get("role"), row.get("view"), row.get("source"))
                        .isEqualTo('a'));
    }

    @Test
    void everySecurityDefinerFunctionPinsItsSearchPathAndIsNotExecutableByPublic() {
        List<String> unsafe = superuser().sql("""
                SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE p.prosecdef AND n.nspname IN ('public', 'vip_data', 'audit', 'analytics', 'archive', 'monitoring', 'maintenance')
                   AND (NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
                        OR has_function_privilege('public', p.oid, 'EXECUTE'))""").query(String.class).list();

        assertThat(unsafe).isEmpty();
    }

    /** A ride without a quote: riders may only request through a quote, so this is always refused for them. */
    private static UUID insertRide(JdbcClient sql, UUID customer, String tier) {
        return Rides.aRideRow(sql, customer, Map.of("customer_tier", "'" + tier + "'"));
    }

    private int insertVehicle(JdbcClient sql, UUID fleet) {
        return sql.sql("""
                INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats, fleet_company_id)
                VALUES (:plate, 'Lexus', 'LX', 2024, 'white', 'luxury', 4, :fleet)""")
                .param("plate", "FL-" + (System.nanoTime() % 100_000_000))
                .param("fleet", fleet)
                .update();
    }

    private static Map<String, Object> route(JdbcClient sql, SecurityWorld.RideRef ride) {
        List<Map<String, Object>> rows = sql.sql("SELECT * FROM public.active_ride_route(:id, :at)")
                .param("id", ride.id())
                .param("at", ride.requestedAt())
                .query()
                .listOfRows();
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** Runs the work in one transaction as the service login acting for the user, then rolls it back. */
    private void asUser(String role, UUID userId, Consumer<JdbcClient> work) {
        inTransaction(role, userId, work, false);
    }

    private void asUserCommitting(String role, UUID userId, Consumer<JdbcClient> work) {
        inTransaction(role, userId, work, true);
    }

    private void inTransaction(String role, UUID userId, Consumer<JdbcClient> work, boolean commit) {
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            current = connection;
            JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            sql.sql("SELECT set_config('role', :role, true), set_config('app.current_user_id', :id, true)")
                    .param("role", role)
                    .param("id", userId == null ? "" : userId.toString())
                    .query()
                    .singleRow();
            try {
                work.accept(sql);
                if (commit) {
                    connection.commit();
                }
            } finally {
                connection.rollback();
                current = null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection current;

    /** Runs a statement that must be refused, inside a savepoint so the transaction goes on. */
    private void assertRefused(Runnable statement, String reason) {
        try {
            Savepoint savepoint = current.setSavepoint();
            assertThatThrownBy(statement::run).rootCause().hasMessageContaining(reason);
            current.rollback(savepoint);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
