package com.vipride.simulator;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The city simulator seeds Lagos through the API, then drives brisk traffic through the service for about
 * 20 seconds: rides are completed, one is cancelled, an SOS is raised and worked by a responder, a fare is
 * partly refunded, what the API reported is what the database holds, and no request met an unexpected
 * answer.
 */
class SimulatedCityIT extends IntegrationTest {

    @Test
    void aSeededCityCarriesBriskTrafficWithoutAnError() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SimulationSettings settings = SimulationSettings.defaults(baseUrl(), admin.email(), PASSWORD)
                .withDuration(Duration.ofSeconds(18))
                .withRate(45)
                .withPeople(7, 8)
                .withPace(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10))
                .withIncidents(4, 5, 6, Duration.ofSeconds(8));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

        Simulation.Result result = new Simulation(settings, out).run();

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
        assertThat(printed).contains("SIMULATION-SUMMARY", "support_agent: ", "emergency_responder: ");

        // What the API reported is what the database holds for this run's riders.
        Map<String, Object> held = superuser()
                .sql("""
                        SELECT count(*) FILTER (WHERE r.status = 'completed') AS completed,
                               count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled,
                               (SELECT count(*) FROM public.safety_incidents i JOIN public.users s ON s.id = i.rider_id
                                 WHERE s.email LIKE :pattern AND i.status = 'resolved') AS resolved_incidents
                          FROM public.rides r JOIN public.users u ON u.id = r.customer_id
                         WHERE u.email LIKE :pattern""")
                .param("pattern", "%-" + result.run().toLowerCase(java.util.Locale.ROOT) + "@sim.example")
                .query()
                .singleRow();
        assertThat(held)
                .as(printed)
                .containsEntry("completed", stats.ridesCompleted())
                .containsEntry("resolved_incidents", stats.sosResolved());
        assertThat((Long) held.get("cancelled")).as(printed).isGreaterThanOrEqualTo(stats.cancellations());
    }
}
