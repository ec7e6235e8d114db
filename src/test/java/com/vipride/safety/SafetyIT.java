package com.vipride.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.jobs.Jobs;
import com.vipride.support.Api;
import com.vipride.support.EventStream;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * SOS for every rider and driver: the incident opens in the SOS's transaction, the control centre's
 * streams and every responder hear of it at once, an unacknowledged incident escalates, and the control
 * centre works it (acknowledge, assign, notes, time-boxed and logged access, resolve) with a timeline.
 */
class SafetyIT extends IntegrationTest {

    @Autowired
    Jobs jobs;

    private record Trip(RideWorld world, RideWorld.Driver driver, SignedIn rider, String rideId) {}

    private Trip startedTrip() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(250);
        SignedIn rider = world.rider("normal");
        Api.Response ride = world.requestRide(rider);
        String id = ride.text("id");
        for (String step : new String[] {"accept", "arrive", "start"}) {
            assertThat(api().post("/api/v1/rides/" + id + "/" + step, Map.of(), driver.token())
                            .status())
                    .isEqualTo(200);
        }
        return new Trip(world, driver, rider, id);
    }

    @Test
    void aRidersSosReachesTheControlCentreAtOnceAndIsWorkedToResolution() {
        SignedIn responder = accounts().aSignedInStaffMember("emergency_responder");
        SignedIn colleague = accounts().aSignedInStaffMember("emergency_responder");
        Trip trip = startedTrip();
        try (EventStream control =
                EventStream.open(baseUrl(), "/api/v1/control-centre/stream", responder.accessToken(), null)) {
            Api.Response sos = api().post(
                            "/api/v1/rides/" + trip.rideId() + "/sos",
                            Map.of("kind", "medical", "note", "passenger unwell"),
                            trip.rider().accessToken());
            assertThat(sos.status()).as(sos.toString()).isEqualTo(201);
            String incident = sos.text("id");
            assertThat(sos.text("raisedAs")).isEqualTo("rider");
            assertThat(sos.text("kind")).isEqualTo("medical");
            assertThat(api().get("/api/v1/rides/" + trip.rideId(), trip.rider().accessToken())
                            .text("status"))
                    .isEqualTo("emergency");

            control.await(
                    "incident",
                    i -> i.get("incidentId").asText().equals(incident)
                            && i.get("step").asText().equals("opened"));
            control.await(
                    "notification",
                    n -> n.get("type").asText().equals("safety.sos")
                            && n.get("payload").get("incidentId").asText().equals(incident));

            // Nobody outside the control centre works it; a second SOS joins the same incident.
            assertThat(api().post(
                                    "/api/v1/control-centre/incidents/" + incident + "/acknowledge",
                                    Map.of(),
                                    trip.rider().accessToken())
                            .status())
                    .isEqualTo(403);
            Api.Response again = api().post(
                            "/api/v1/rides/" + trip.rideId() + "/sos",
                            Map.of(),
                            trip.driver().token());
            assertThat(again.status()).as(again.toString()).isEqualTo(201);
            assertThat(again.text("id")).isEqualTo(incident);

            List<String> queue = ids(api().get("/api/v1/control-centre/queue", responder.accessToken())
                    .body());
            assertThat(queue).contains(incident);

            Api.Response ack = api().post(
                            "/api/v1/control-centre/incidents/" + incident + "/acknowledge",
                            Map.of(),
                            responder.accessToken());
            assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
            assertThat(ack.text("status")).isEqualTo("acknowledged");
            assertThat(api().post(
                                    "/api/v1/control-centre/incidents/" + incident + "/acknowledge",
                                    Map.of(),
                                    responder.accessToken())
                            .code())
                    .isEqualTo("incident-not-open");

            Api.Response assigned = api().post(
                            "/api/v1/control-centre/incidents/" + incident + "/assign",
                            Map.of("responderId", colleague.id()),
                            responder.accessToken());
            assertThat(assigned.text("assignedTo")).isEqualTo(colleague.id().toString());
            assertThat(api().post(
                                    "/api/v1/control-centre/incidents/" + incident + "/assign",
                                    Map.of("responderId", trip.rider().id()),
                                    responder.accessToken())
                            .code())
                    .isEqualTo("not-a-responder");
            api().post(
                            "/api/v1/control-centre/incidents/" + incident + "/notes",
                            Map.of("note", "called the rider"),
                            colleague.accessToken());

            Api.Response live = api().get(
                            "/api/v1/control-centre/incidents/" + incident + "/live?purpose=dispatch%20ambulance",
                            colleague.accessToken());
            assertThat(live.status()).as(live.toString()).isEqualTo(200);
            assertThat(live.body().get("driverLat").asDouble()).isNotZero();
            assertThat(live.text("riderPhone")).startsWith("+");
            assertThat(api().get(
                                    "/api/v1/control-centre/incidents/" + incident + "/live",
                                    trip.driver().token())
                            .status())
                    .isEqualTo(403);

            Api.Response resolved = api().post(
                            "/api/v1/control-centre/incidents/" + incident + "/resolve",
                            Map.of("outcome", "medical_assistance", "note", "ambulance took over"),
                            colleague.accessToken());
            assertThat(resolved.text("status")).isEqualTo("resolved");
            control.await(
                    "incident",
                    i -> i.get("incidentId").asText().equals(incident)
                            && i.get("step").asText().equals("resolved"));
            assertThat(api().get("/api/v1/control-centre/incidents/" + incident + "/live", colleague.accessToken())
                            .code())
                    .as("access ends with the incident")
                    .isEqualTo("access-ended");

            JsonNode detail = api().get("/api/v1/control-centre/incidents/" + incident, responder.accessToken())
                    .body();
            List<String> steps = detail.get("timeline")
                    .valueStream()
                    .map(s -> s.get("kind").asText())
                    .toList();
            assertThat(steps)
                    .containsSubsequence(
                            "opened",
                            "alerted",
                            "note",
                            "raised_again",
                            "acknowledged",
                            "assigned",
                            "note",
                            "access",
                            "resolved");
            assertThat(detail.get("timeline")
                            .valueStream()
                            .filter(s -> s.get("kind").asText().equals("access"))
                            .findFirst()
                            .orElseThrow()
                            .get("note")
                            .asText())
                    .isEqualTo("dispatch ambulance");

            // The control centre's view is for the control centre: the rider is refused the timeline, a stranger
            // does not even find the incident.
            SignedIn stranger = accounts().aSignedInCustomer();
            assertThat(api().get("/api/v1/control-centre/incidents/" + incident, stranger.accessToken())
                            .status())
                    .isEqualTo(404);
            Api.Response own = api().get(
                            "/api/v1/control-centre/incidents/" + incident,
                            trip.rider().accessToken());
            assertThat(own.status()).isEqualTo(403);

            JsonNode figures = api().get("/api/v1/control-centre/figures", responder.accessToken())
                    .body();
            assertThat(figures.get("resolved").asLong()).isPositive();
            assertThat(figures.get("acknowledgeP50S").isNumber()).isTrue();
        }
    }

    @Test
    void anIncidentNotAcknowledgedInTimeEscalates() {
        SignedIn responder = accounts().aSignedInStaffMember("emergency_responder");
        Trip trip = startedTrip();
        Api.Response sos = api().post(
                        "/api/v1/rides/" + trip.rideId() + "/sos",
                        Map.of(),
                        trip.driver().token());
        assertThat(sos.status()).as(sos.toString()).isEqualTo(201);
        assertThat(sos.text("raisedAs")).isEqualTo("driver");
        UUID incident = UUID.fromString(sos.text("id"));
        int severity = sos.body().get("severity").asInt();
        superuser()
                .sql(
                        "UPDATE public.safety_incidents SET acknowledge_due_at = now() - interval '1 second' WHERE id = :id")
                .param("id", incident)
                .update();

        assertThat(jobs.runNow(IncidentEscalation.JOB).succeeded()).isTrue();

        Api.Response after = api().get("/api/v1/control-centre/incidents/" + incident, responder.accessToken());
        assertThat(after.body().get("incident").get("severity").asInt()).isEqualTo(Math.min(5, severity + 1));
        assertThat(after.body().get("incident").get("escalations").asInt()).isEqualTo(1);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.notifications WHERE recipient_id = :r "
                                + "AND type = 'safety.incident-escalated' AND payload->>'incidentId' = :i")
                        .param("r", responder.id())
                        .param("i", incident.toString())
                        .query(Long.class)
                        .single())
                .as("the second notification")
                .isEqualTo(1);
        api().post(
                        "/api/v1/control-centre/incidents/" + incident + "/resolve",
                        Map.of("outcome", "false_alarm"),
                        responder.accessToken());
    }

    @Test
    void anSosNeedsAnActiveRideOfTheCaller() {
        Trip trip = startedTrip();
        SignedIn stranger = accounts().aSignedInCustomer();
        assertThat(api().post("/api/v1/rides/" + trip.rideId() + "/sos", Map.of(), stranger.accessToken())
                        .status())
                .isEqualTo(404);
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        SignedIn waiting = world.rider("normal");
        String pending = world.requestRide(waiting).text("id");
        Api.Response refused = api().post("/api/v1/rides/" + pending + "/sos", Map.of(), waiting.accessToken());
        assertThat(refused.code()).as(refused.toString()).isEqualTo("ride-not-active");
        assertThat(api().post(
                                "/api/v1/rides/" + trip.rideId() + "/sos",
                                Map.of("kind", "nonsense"),
                                trip.rider().accessToken())
                        .status())
                .isEqualTo(400);
    }

    @Test
    void theOldEmergencyStepAlsoOpensAnIncident() {
        Trip trip = startedTrip();
        assertThat(api().post(
                                "/api/v1/rides/" + trip.rideId() + "/emergency",
                                Map.of(),
                                trip.rider().accessToken())
                        .status())
                .isEqualTo(200);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.safety_incidents WHERE ride_id = :r")
                        .param("r", UUID.fromString(trip.rideId()))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    private static List<String> ids(JsonNode array) {
        return array.valueStream().map(n -> n.get("id").asText()).toList();
    }
}
