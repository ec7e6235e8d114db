package com.vipride.simulator;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.dispatch.DispatchPass;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The city simulator seeds Lagos through the API, then drives brisk traffic through the service for about
 * 20 seconds: drivers take their offers from their live streams (never by polling), rides are completed, one
 * is cancelled, an SOS is raised and worked by a responder, a fare is partly refunded, a VIP rides with the
 * VIP chauffeur (route sealed, positions reported and stored encrypted), what the API reported is what the
 * database holds, and no request met an unexpected answer.
 */
class SimulatedCityIT extends IntegrationTest {

    @Autowired
    private DispatchPass dispatch;

    @Test
    void aSeededCityCarriesBriskTrafficWithoutAnError() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SimulationSettings settings = SimulationSettings.defaults(baseUrl(), admin.email(), PASSWORD)
                .withDuration(Duration.ofSeconds(18))
                .withRate(45)
                .withPeople(7, 8)
                .withPace(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10))
                .withIncidents(4, 5, 6, Duration.ofSeconds(8))
                .withVipRides(Duration.ofSeconds(4));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

        // The dispatcher pass, which the test profile leaves to each test, runs every second as in a service:
        // it offers the hotel's rides and retries the requests nobody was in range for.
        ScheduledExecutorService dispatcher = Executors.newSingleThreadScheduledExecutor();
        Simulation.Result result;
        try {
            dispatcher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            dispatch.runOnce();
                        } catch (RuntimeException e) {
                            System.out.println("dispatch pass failed: " + e);
                        }
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
            result = new Simulation(settings, out).run();
        } finally {
            dispatcher.shutdownNow();
        }

        String printed = log.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        Stats stats = result.stats();
        assertThat(result.seeded()).as(printed).isTrue();
        assertThat(stats.errorsByStatus()).as(printed).isEmpty();
        assertThat(stats.ridesCompleted()).as(printed).isGreaterThanOrEqualTo(5);
        assertThat(stats.cancellations()).as(printed).isGreaterThanOrEqualTo(1);
        assertThat(stats.sosRaised()).as(printed).isGreaterThanOrEqualTo(1);
        assertThat(stats.sosResolved()).as(printed).isEqualTo(stats.sosRaised());
        assertThat(stats.refunds()).as(printed).isGreaterThanOrEqualTo(1);
        assertThat(stats.positions()).as(printed).isGreaterThan(50);
        assertThat(stats.offersStreamed()).as(printed).isGreaterThanOrEqualTo(stats.ridesCompleted());
        assertThat(stats.offersPolled()).as(printed).isZero();
        assertThat(stats.streamFailures()).as(printed).isZero();
        assertThat(stats.vipRidesCompleted()).as(printed).isGreaterThanOrEqualTo(1);
        assertThat(stats.vipPositions()).as(printed).isGreaterThanOrEqualTo(2 * stats.vipRidesCompleted());
        assertThat(printed).contains("SIMULATION-SUMMARY", "support_agent: ", "emergency_responder: ");

        // What the API reported is what the database holds for this run's riders (the chauffeur's luxury runs
        // while seeding included); a VIP's ride keeps its route sealed only, and the VIP's positions encrypted.
        Map<String, Object> held = superuser()
                .sql("""
                        SELECT count(*) FILTER (WHERE r.status = 'completed') AS completed,
                               count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled,
                               count(*) FILTER (WHERE r.status = 'completed' AND r.customer_tier = 'vip') AS vip_completed,
                               count(*) FILTER (WHERE r.customer_tier = 'vip'
                                                  AND (r.route_enc IS NULL OR r.pickup_lat IS NOT NULL
                                                       OR r.pickup_address IS NOT NULL)) AS vip_unsealed,
                               (SELECT count(*) FROM public.safety_incidents i JOIN public.users s ON s.id = i.rider_id
                                 WHERE s.email LIKE :pattern AND i.status = 'resolved') AS resolved_incidents,
                               (SELECT count(*) FROM vip_data.vip_location_history h JOIN public.users v ON v.id = h.user_id
                                 WHERE v.email LIKE :pattern) AS vip_positions
                          FROM public.rides r JOIN public.users u ON u.id = r.customer_id
                         WHERE u.email LIKE :pattern""")
                .param("pattern", "%-" + result.run().toLowerCase(java.util.Locale.ROOT) + "@sim.example")
                .query()
                .singleRow();
        assertThat(held)
                .as(printed)
                .containsEntry("completed", stats.ridesCompleted() + stats.chauffeurRuns())
                .containsEntry("vip_completed", stats.vipRidesCompleted())
                .containsEntry("vip_unsealed", 0L)
                .containsEntry("vip_positions", stats.vipPositions())
                .containsEntry("resolved_incidents", stats.sosResolved());
        assertThat((Long) held.get("cancelled")).as(printed).isGreaterThanOrEqualTo(stats.cancellations());
    }
}
