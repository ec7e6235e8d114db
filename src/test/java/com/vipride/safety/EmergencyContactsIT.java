package com.vipride.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Riders and drivers keep their own emergency contacts; a responder reads both parties' contacts only
 * through an open incident of their ride, and each read is in the incident's timeline.
 */
class EmergencyContactsIT extends IntegrationTest {

    private static final String CONTACTS = "/api/v1/me/emergency-contacts";

    @Test
    void eachPersonKeepsAtMostFiveContactsOfTheirOwn() {
        SignedIn rider = accounts().aSignedInCustomer();
        SignedIn other = accounts().aSignedInCustomer();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Api.Response added = add(rider, "Contact " + i, "+23480700000" + (10 + i), i == 1 ? "sister" : null);
            assertThat(added.status()).as(added.toString()).isEqualTo(201);
            ids.add(added.text("id"));
        }
        Api.Response sixth = add(rider, "Contact 6", "+2348070000020", null);
        assertThat(sixth.status()).as(sixth.toString()).isEqualTo(409);
        assertThat(sixth.code()).isEqualTo("too-many-contacts");
        assertThat(add(rider, "Twice", "+2348070000011", null).status())
                .as("one phone once")
                .isEqualTo(409);

        JsonNode mine = api().get(CONTACTS, rider.accessToken()).body();
        assertThat(mine).hasSize(5);
        assertThat(mine.get(0).get("relationship").asString()).isEqualTo("sister");
        assertThat(api().get(CONTACTS, other.accessToken()).body()).isEmpty();

        assertThat(delete(ids.get(0), other).status())
                .as("another's contact is not found")
                .isEqualTo(404);
        assertThat(delete(ids.get(0), rider).status()).isEqualTo(204);
        assertThat(delete(ids.get(0), rider).status()).isEqualTo(404);
        assertThat(api().get(CONTACTS, rider.accessToken()).body()).hasSize(4);
    }

    @Test
    void badContactsAreRefusedAndStaffKeepNone() {
        SignedIn rider = accounts().aSignedInCustomer();
        assertThat(add(rider, "No plus", "08070000000", null).status()).isEqualTo(400);
        assertThat(add(rider, " ", "+2348070000001", null).status()).isEqualTo(400);
        assertThat(add(rider, "Empty relation", "+2348070000001", "").status()).isEqualTo(400);
        assertThat(api().get(CONTACTS, rider.accessToken()).body()).isEmpty();

        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        assertThat(api().get(CONTACTS, support.accessToken()).status()).isEqualTo(403);
    }

    @Test
    void aResponderReadsBothPartiesContactsOnlyWhileTheIncidentIsOpen() {
        SignedIn responder = accounts().aSignedInStaffMember("emergency_responder");
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(250);
        SignedIn rider = world.rider("normal");
        assertThat(add(rider, "Rider's brother", "+2348070000101", "brother").status())
                .isEqualTo(201);
        assertThat(api().post(CONTACTS, Map.of("name", "Driver's wife", "phone", "+2348070000102"), driver.token())
                        .status())
                .isEqualTo(201);
        String ride = world.requestRide(rider).text("id");
        for (String step : new String[] {"accept", "arrive", "start"}) {
            assertThat(api().post("/api/v1/rides/" + ride + "/" + step, Map.of(), driver.token())
                            .status())
                    .isEqualTo(200);
        }
        String incident = api().post("/api/v1/rides/" + ride + "/sos", Map.of(), rider.accessToken())
                .text("id");

        Api.Response live = api().get(
                        "/api/v1/control-centre/incidents/" + incident + "/live?purpose=call%20family",
                        responder.accessToken());
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        JsonNode contacts = live.body().get("emergencyContacts");
        assertThat(contacts).hasSize(2);
        assertThat(contacts.get(0).get("party").asString()).isEqualTo("rider");
        assertThat(contacts.get(0).get("phone").asString()).isEqualTo("+2348070000101");
        assertThat(contacts.get(1).get("party").asString()).isEqualTo("driver");
        assertThat(contacts.get(1).get("name").asString()).isEqualTo("Driver's wife");
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.safety_incident_events WHERE incident_id = CAST(:id AS uuid)"
                                + " AND kind = 'access' AND details ->> 'read' = 'emergency contacts'")
                        .param("id", incident)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(api().get("/api/v1/control-centre/incidents/" + incident + "/live", rider.accessToken())
                        .status())
                .as("not the rider")
                .isEqualTo(403);

        assertThat(api().post(
                                "/api/v1/control-centre/incidents/" + incident + "/resolve",
                                Map.of("outcome", "false_alarm"),
                                responder.accessToken())
                        .status())
                .isEqualTo(200);
        Api.Response ended =
                api().get("/api/v1/control-centre/incidents/" + incident + "/live", responder.accessToken());
        assertThat(ended.status()).isEqualTo(403);
        assertThat(ended.code()).isEqualTo("access-ended");
    }

    private Api.Response add(SignedIn who, String name, String phone, String relationship) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("name", name);
        body.put("phone", phone);
        if (relationship != null) {
            body.put("relationship", relationship);
        }
        return api().post(CONTACTS, body, who.accessToken());
    }

    private Api.Response delete(String id, SignedIn who) {
        return api().send(api().request(CONTACTS + "/" + id, who.accessToken())
                .DELETE()
                .build());
    }
}
