package com.vipride.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.EventStream;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Live streams: a driver's stream carries the offer the moment it is made and the driver accepts from it;
 * the rider's stream carries the ride's steps and the driver's position with an ETA; a reconnect with
 * Last-Event-ID replays what was missed; row-level security keeps every party to their own events, even
 * with many streams open at once; and a stream without a valid token is a 401 problem.
 */
class LiveStreamsIT extends IntegrationTest {

    @Test
    void aStreamWithoutAValidTokenIsA401Problem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String token : new String[] {null, "not-a-token"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/me/stream"))
                    .header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(10));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"status\":401");
        }
    }

    @Test
    void theDriverIsOfferedWithoutPollingAndTheRiderFollowsTheRide() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(400);
        SignedIn rider = world.rider("normal");
        try (EventStream driverStream = EventStream.open(baseUrl(), "/api/v1/drivers/me/stream", driver.token(), null);
                EventStream riderStream = EventStream.open(baseUrl(), rider.accessToken())) {
            long before = System.nanoTime();
            Api.Response ride = world.requestRide(rider);
            assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
            String id = ride.text("id");

            JsonNode offer = driverStream
                    .await("offer", o -> o.get("rideId").asText().equals(id))
                    .json();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
            assertThat(offer.get("status").asText()).isEqualTo("offered");
            riderStream.await(
                    "ride",
                    r -> r.get("rideId").asText().equals(id)
                            && r.get("status").asText().equals("driver_assigned")
                            && !r.get("accepted").asBoolean());
            Api.Response accepted = api().post(offer.get("accept").asText(), Map.of(), driver.token());
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
            driverStream.await(
                    "offer",
                    o -> o.get("rideId").asText().equals(id)
                            && o.get("status").asText().equals("accepted"));

            riderStream.await(
                    "ride",
                    r -> r.get("status").asText().equals("driver_assigned")
                            && r.get("accepted").asBoolean());
            riderStream.await("notification", n -> n.get("type").asText().equals("ride.assigned"));

            Api.Response moved = api().post(
                            "/api/v1/drivers/me/position",
                            Map.of("lat", world.latNorth(200), "lng", world.lng),
                            driver.token());
            assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
            JsonNode position = riderStream
                    .await("position", p -> p.get("rideId").asText().equals(id))
                    .json();
            assertThat(position.get("target").asText()).isEqualTo("pickup");
            assertThat(position.get("etaS").asInt()).isPositive();

            assertThat(api().post("/api/v1/rides/" + id + "/arrive", Map.of(), driver.token())
                            .status())
                    .isEqualTo(200);
            riderStream.await("ride", r -> r.get("status").asText().equals("driver_arrived"));
            assertThat(api().post("/api/v1/rides/" + id + "/start", Map.of(), driver.token())
                            .status())
                    .isEqualTo(200);
            riderStream.await("ride", r -> r.get("status").asText().equals("in_progress"));
            driverStream.await("ride", r -> r.get("status").asText().equals("in_progress"));

            // Polling keeps working beside the streams.
            assertThat(api().get("/api/v1/drivers/me/offers", driver.token()).status())
                    .isEqualTo(200);
            assertThat(api().get("/api/v1/rides/" + id, rider.accessToken()).text("status"))
                    .isEqualTo("in_progress");
        }
    }

    @Test
    void aReconnectWithLastEventIdReceivesWhatWasMissed() {
        SignedIn user = accounts().aSignedInCustomer();
        String last;
        try (EventStream stream = EventStream.open(baseUrl(), user.accessToken())) {
            notify(user.id(), "ride.completed", "{\"n\":1}");
            last = stream.await("notification", n -> n.get("payload").get("n").asInt() == 1)
                    .id();
        }
        notify(user.id(), "ride.completed", "{\"n\":2}");
        notify(user.id(), "ride.completed", "{\"n\":3}");
        try (EventStream again = EventStream.open(baseUrl(), "/api/v1/me/stream", user.accessToken(), last)) {
            again.await("notification", n -> n.get("payload").get("n").asInt() == 3);
            List<Integer> seen = again.named("notification").stream()
                    .map(e -> e.json().get("payload").get("n").asInt())
                    .toList();
            assertThat(seen).containsExactly(2, 3);
        }
    }

    @Test
    void aStreamCarriesOnlyItsSubscribersEventsWithManyOpenAtOnce() throws Exception {
        int users = 12;
        List<SignedIn> people = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            people.add(accounts().aSignedInCustomer());
        }
        SignedIn responder = accounts().aSignedInStaffMember("emergency_responder");
        List<EventStream> streams = new ArrayList<>();
        try {
            for (SignedIn person : people) {
                streams.add(EventStream.open(baseUrl(), person.accessToken()));
            }
            EventStream control =
                    EventStream.open(baseUrl(), "/api/v1/control-centre/stream", responder.accessToken(), null);
            streams.add(control);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> sent = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (SignedIn person : people) {
                    int r = round;
                    sent.add(pool.submit(() -> notify(
                            person.id(), "ride.completed", "{\"owner\":\"" + person.id() + "\",\"round\":" + r + "}")));
                }
            }
            for (Future<?> f : sent) {
                f.get();
            }
            pool.shutdown();
            // An event for the control centre, and one written straight into the table by another writer.
            superuser()
                    .sql("INSERT INTO public.stream_events (audience, kind, payload) "
                            + "VALUES ('control_centre', 'alert', '{\"test\":\"isolation\"}')")
                    .update();
            control.await("alert", a -> a.has("test"));
            for (int i = 0; i < users; i++) {
                EventStream stream = streams.get(i);
                String owner = people.get(i).id().toString();
                stream.await(
                        e -> e.name().equals("notification")
                                && e.json().get("payload").get("round").asInt() == 4,
                        Duration.ofSeconds(15));
                Set<String> owners = stream.named("notification").stream()
                        .map(e -> e.json().get("payload").get("owner").asText())
                        .collect(Collectors.toSet());
                assertThat(owners).as("stream of user " + i).containsExactly(owner);
                assertThat(stream.named("notification")).hasSize(5);
                assertThat(stream.named("alert"))
                        .as("a rider never sees the control centre's events")
                        .isEmpty();
            }
            assertThat(control.named("notification")).isEmpty();
        } finally {
            streams.forEach(EventStream::close);
        }
    }

    private void notify(UUID user, String type, String payload) {
        superuser()
                .sql("SELECT public.notify(:u, :t, CAST(:p AS jsonb))")
                .param("u", user)
                .param("t", type)
                .param("p", payload)
                .query()
                .singleRow();
    }
}
