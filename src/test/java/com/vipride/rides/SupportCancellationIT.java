package com.vipride.rides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Support (or a system administrator) ends a stuck ride for its parties: with a reason, at no fee, the driver
 * released, both parties told, the change audited. Everyone else is refused, and an ended ride stays ended.
 */
class SupportCancellationIT extends IntegrationTest {

    private RideWorld world;
    private Driver driver;
    private SignedIn rider;
    private SignedIn support;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        driver = world.driverAt(300);
        rider = world.rider("normal");
        support = accounts().aSignedInStaffMember("support_agent");
    }

    private String assignedRide() {
        Api.Response ride = world.requestRide(rider);
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.text("status")).isEqualTo("driver_assigned");
        return ride.text("id");
    }

    private Api.Response step(String id, String step, Object body, String token) {
        return api().post("/api/v1/rides/" + id + "/" + step, body, token);
    }

    private String statusOf(String id) {
        return superuser()
                .sql("SELECT status::text FROM public.rides WHERE id = :id")
                .param("id", UUID.fromString(id))
                .query(String.class)
                .single();
    }

    private boolean driverAvailable() {
        return superuser()
                .sql("SELECT is_available FROM public.drivers WHERE id = :id")
                .param("id", driver.id())
                .query(Boolean.class)
                .single();
    }

    private List<String> notificationsOf(UUID user, String ride) {
        return superuser()
                .sql("SELECT type FROM public.notifications WHERE recipient_id = :u AND payload ->> 'rideId' = :r "
                        + "ORDER BY created_at")
                .param("u", user)
                .param("r", ride)
                .query(String.class)
                .list();
    }

    private List<String> streamedStatuses(UUID user, String ride) {
        return superuser()
                .sql("SELECT payload ->> 'status' FROM public.stream_events WHERE recipient_id = :u AND kind = 'ride' "
                        + "AND payload ->> 'rideId' = :r ORDER BY id")
                .param("u", user)
                .param("r", ride)
                .query(String.class)
                .list();
    }

    @Test
    void supportCancelsARideStuckInProgressWithAReasonAtNoFeeAndTheDriverIsFreeAgain() {
        String id = assignedRide();
        for (String s : new String[] {"accept", "arrive", "start"}) {
            assertThat(step(id, s, Map.of(), driver.token()).status()).isEqualTo(200);
        }
        // Long past the free window: a rider cancelling now would pay the fee (if they could).
        superuser()
                .sql("UPDATE public.rides SET assigned_at = now() - interval '40 minutes' WHERE id = :id")
                .param("id", UUID.fromString(id))
                .update();
        assertThat(driverAvailable()).isFalse();

        Api.Response cancelled = step(
                id, "cancel", Map.of("reason", "driver app froze mid-trip; rider dropped off"), support.accessToken());

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("cancelled");
        assertThat(cancelled.text("cancelledBy")).isEqualTo("support_agent");
        assertThat(cancelled.body().get("cancellationFeeMinor").asLong()).isZero();
        assertThat(driverAvailable()).as("the driver is released").isTrue();
        assertThat(superuser()
                        .sql("SELECT cancellation_reason FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("driver app froze mid-trip; rider dropped off");
        assertThat(notificationsOf(rider.id(), id)).contains("ride.cancelled");
        assertThat(notificationsOf(driver.user().id(), id)).contains("ride.cancelled");
        assertThat(streamedStatuses(rider.id(), id)).endsWith("cancelled");
        assertThat(streamedStatuses(driver.user().id(), id)).endsWith("cancelled");

        AuditChain.drain(superuser());
        Map<String, Object> audited =
                superuser().sql("""
                SELECT db_role, user_id, new_values ->> 'status' AS status FROM audit.audit_log
                 WHERE table_name = 'rides' AND record_id = :id AND operation = 'UPDATE'
                   AND new_values ->> 'status' = 'cancelled'""").param("id", id).query().singleRow();
        assertThat(audited).containsEntry("db_role", "support_agent").containsEntry("user_id", support.id());
    }

    @Test
    void aSystemAdminCancelsARideStillWaitingForADriverAndTheRiderIsTold() {
        world.offline(driver);
        Api.Response pending = world.requestRide(rider);
        assertThat(pending.text("status")).as(pending.toString()).isEqualTo("pending");
        String id = pending.text("id");
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");

        Api.Response cancelled =
                step(id, "cancel", Map.of("reason", "dispatch stuck after outage"), admin.accessToken());

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.text("cancelledBy")).isEqualTo("system_admin");
        assertThat(notificationsOf(rider.id(), id)).contains("ride.cancelled");
    }

    @Test
    void supportMustSayWhyAndNothingChangesWithoutAReason() {
        String id = assignedRide();
        for (Object body : new Object[] {Map.of(), Map.of("reason", "   ")}) {
            Api.Response refused = step(id, "cancel", body, support.accessToken());
            assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
            assertThat(refused.code()).isEqualTo("reason-required");
        }
        assertThat(statusOf(id)).isEqualTo("driver_assigned");
        assertThat(driverAvailable()).isFalse();
    }

    @Test
    void anEndedRideIsAConflictNotACancellation() {
        Api.Response completed = world.completedRide(rider, driver, 4_000);
        String done = completed.text("id");
        Api.Response refused = step(done, "cancel", Map.of("reason", "rider complains"), support.accessToken());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("ride-finished");
        assertThat(statusOf(done)).isEqualTo("completed");

        String cancelled = assignedRide();
        assertThat(step(cancelled, "cancel", Map.of("reason", "changed my mind"), rider.accessToken())
                        .status())
                .isEqualTo(200);
        Api.Response again = step(cancelled, "cancel", Map.of("reason", "stuck"), support.accessToken());
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("ride-finished");
        assertThat(superuser()
                        .sql("SELECT cancelled_by::text || ' ' || cancellation_reason FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(cancelled))
                        .query(String.class)
                        .single())
                .isEqualTo("customer changed my mind");
        assertThat(step(UUID.randomUUID().toString(), "cancel", Map.of("reason", "stuck"), support.accessToken())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void noOtherRoleCancelsSomeoneElsesRide() {
        String id = assignedRide();
        SignedIn stranger = world.rider("normal");
        assertThat(step(id, "cancel", Map.of("reason", "stuck"), stranger.accessToken())
                        .status())
                .as("another rider does not even see it")
                .isEqualTo(404);
        for (String staff : new String[] {"hotel_staff", "compliance_officer", "audit_admin"}) {
            Api.Response refused = step(
                    id,
                    "cancel",
                    Map.of("reason", "stuck"),
                    accounts().aSignedInStaffMember(staff).accessToken());
            assertThat(refused.status()).as(staff + ": " + refused).isEqualTo(403);
        }
        assertThat(statusOf(id)).isEqualTo("driver_assigned");
        assertThat(driverAvailable()).isFalse();
    }

    @Test
    void inTheDatabaseSupportOnlyCancelsAndNeverRewritesAnOldCancellation() {
        // Straight SQL as the support role, past the API: the rules are in the table.
        String id = assignedRide();
        var tx = loginAs("app_backend");
        String as = "BEGIN; SET LOCAL ROLE support_agent; SELECT set_config('app.current_user_id', '" + support.id()
                + "', true); ";
        assertThatThrownBy(() -> tx.sql(as + "UPDATE public.rides SET status = 'driver_arrived' WHERE id = '" + id
                                + "'; COMMIT;")
                        .update())
                .hasMessageContaining("cannot go from driver_assigned to driver_arrived");
        assertThatThrownBy(() -> tx.sql(
                                as + "UPDATE public.rides SET status = 'cancelled' WHERE id = '" + id + "'; COMMIT;")
                        .update())
                .hasMessageContaining("Say why the ride is cancelled");

        assertThat(step(id, "cancel", Map.of("reason", "stuck at pickup"), support.accessToken())
                        .status())
                .isEqualTo(200);
        assertThatThrownBy(
                        () -> tx.sql(as + "UPDATE public.rides SET cancellation_reason = 'something else' WHERE id = '"
                                        + id + "'; COMMIT;")
                                .update())
                .hasStackTraceContaining("violates row-level security policy");
        assertThat(superuser()
                        .sql("SELECT cancellation_reason FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("stuck at pickup");
    }
}
