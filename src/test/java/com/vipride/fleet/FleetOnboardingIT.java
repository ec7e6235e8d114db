package com.vipride.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.dispatch.DispatchPass;
import com.vipride.platform.jobs.JobRun;
import com.vipride.platform.jobs.Jobs;
import com.vipride.support.Api;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Launching a city through the API: fleets apply and are vetted, drivers apply and are decided, vehicles
 * are registered and assigned, documents are recorded with their files, expired documents keep drivers
 * off the road (through the real dispatch), and reminders go out before documents expire. Every
 * endpoint that takes an id is tried with another fleet's id.
 */
class FleetOnboardingIT extends IntegrationTest {

    private static final byte[] PDF = "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @Autowired
    Jobs jobs;

    @Autowired
    DispatchPass dispatchPass;

    /** A fleet applied for by a new rider and approved; the rider, signed in again, is its admin. */
    record Fleet(UUID id, SignedIn admin) {}

    private Fleet anApprovedFleet(SignedIn systemAdmin) {
        TestAccounts.Registered applicant = accounts().aRegisteredCustomer();
        SignedIn rider = accounts().signIn(applicant);
        Api.Response applied = api().post("/api/v1/fleets", application(), rider.accessToken());
        assertThat(applied.status()).as(applied.toString()).isEqualTo(201);
        UUID id = UUID.fromString(applied.text("id"));
        Api.Response approved = api().post(
                        "/api/v1/fleets/" + id + "/verification",
                        Map.of("approve", true, "reason", "Registration and insurance checked"),
                        systemAdmin.accessToken());
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        return new Fleet(id, accounts().signIn(applicant));
    }

    private static Map<String, Object> application() {
        String n = UUID.randomUUID().toString().substring(0, 8);
        return Map.of(
                "name", "Eko Rides " + n,
                "registrationNumber", "RC-" + n,
                "contactEmail", "ops-" + n + "@eko.example",
                "contactPhone", TestAccounts.uniquePhone(),
                "operatingCities", List.of("lagos", "abuja"));
    }

    /** A rider who applied to drive for the fleet; returns the driver id and the account. */
    private Map.Entry<UUID, TestAccounts.Registered> aFleetDriverApplicant(UUID fleet) {
        TestAccounts.Registered account = accounts().aRegisteredCustomer();
        SignedIn rider = accounts().signIn(account);
        Api.Response applied = api().post(
                        "/api/v1/drivers",
                        Map.of(
                                "category",
                                "fleet_driver",
                                "fleetId",
                                fleet.toString(),
                                "licenceNumber",
                                "LAG-" + UUID.randomUUID().toString().substring(0, 12),
                                "licenceExpiresOn",
                                LocalDate.now().plusYears(2).toString(),
                                "city",
                                "lagos"),
                        rider.accessToken());
        assertThat(applied.status()).as(applied.toString()).isEqualTo(201);
        assertThat(applied.text("status")).isEqualTo("pending_verification");
        return Map.entry(UUID.fromString(applied.text("id")), account);
    }

    private Api.Response registerVehicle(String plate, String token) {
        return api().post(
                        "/api/v1/vehicles",
                        Map.of(
                                "plateNumber", plate,
                                "make", "Toyota",
                                "model", "Camry",
                                "modelYear", 2023,
                                "color", "black",
                                "vehicleType", "sedan",
                                "seats", 4),
                        token);
    }

    private static String aPlate() {
        return "EKO" + ThreadLocalRandom.current().nextInt(10_000_000);
    }

    @Test
    void aRiderAppliesForAFleetAndASystemAdminVetsSuspendsAndReinstatesIt() {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        TestAccounts.Registered applicant = accounts().aRegisteredCustomer();
        SignedIn rider = accounts().signIn(applicant);

        Api.Response applied = api().post("/api/v1/fleets", application(), rider.accessToken());
        assertThat(applied.status()).as(applied.toString()).isEqualTo(201);
        assertThat(applied.text("status")).isEqualTo("pending");
        String id = applied.text("id");
        assertThat(api().post("/api/v1/fleets", application(), rider.accessToken())
                        .code())
                .isEqualTo("application-pending");

        // Only a system admin vets; the applicant cannot approve their own fleet.
        Api.Response selfApproved = api().post(
                        "/api/v1/fleets/" + id + "/verification",
                        Map.of("approve", true, "reason", "mine"),
                        rider.accessToken());
        assertThat(selfApproved.status()).isEqualTo(403);
        assertThat(api().post(
                                "/api/v1/fleets/" + id + "/verification",
                                Map.of("approve", true, "reason", ""),
                                systemAdmin.accessToken())
                        .code())
                .isEqualTo("validation-failed");

        Api.Response approved = api().post(
                        "/api/v1/fleets/" + id + "/verification",
                        Map.of("approve", true, "reason", "Documents checked"),
                        systemAdmin.accessToken());
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("active");
        assertThat(approved.text("statusReason")).isEqualTo("Documents checked");
        assertThat(approved.text("verifiedAt")).isNotNull();
        Api.Response again = api().post(
                        "/api/v1/fleets/" + id + "/verification",
                        Map.of("approve", false, "reason", "changed my mind"),
                        systemAdmin.accessToken());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("illegal-transition");

        // The applicant is now the fleet's admin.
        SignedIn admin = accounts().signIn(applicant);
        assertThat(api().get("/api/v1/fleets/" + id, admin.accessToken()).status())
                .isEqualTo(200);
        assertThat(api().get("/api/v1/fleets/" + id + "/drivers", admin.accessToken())
                        .status())
                .isEqualTo(200);

        Api.Response suspended = api().post(
                        "/api/v1/fleets/" + id + "/suspension",
                        Map.of("reason", "Insurance lapsed"),
                        systemAdmin.accessToken());
        assertThat(suspended.text("status")).isEqualTo("suspended");
        assertThat(api().post("/api/v1/fleets/" + id + "/suspension", Map.of("reason", "x"), admin.accessToken())
                        .status())
                .isEqualTo(403);
        Api.Response reinstated = api().post(
                        "/api/v1/fleets/" + id + "/reinstatement",
                        Map.of("reason", "Insurance renewed"),
                        systemAdmin.accessToken());
        assertThat(reinstated.text("status")).isEqualTo("active");
        AuditChain.drain(superuser());
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM audit.audit_log WHERE table_name = 'fleet_companies' AND record_id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .as("every vetting step audited")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void aRejectedApplicationKeepsItsReasonAndTheApplicantStaysARider() {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        TestAccounts.Registered applicant = accounts().aRegisteredCustomer();
        SignedIn rider = accounts().signIn(applicant);
        String id =
                api().post("/api/v1/fleets", application(), rider.accessToken()).text("id");

        Api.Response rejected = api().post(
                        "/api/v1/fleets/" + id + "/verification",
                        Map.of("approve", false, "reason", "Registration number not found"),
                        systemAdmin.accessToken());

        assertThat(rejected.text("status")).isEqualTo("rejected");
        assertThat(rejected.text("statusReason")).isEqualTo("Registration number not found");
        assertThat(superuser()
                        .sql("SELECT user_type::text FROM public.users WHERE id = :id")
                        .param("id", applicant.id())
                        .query(String.class)
                        .single())
                .isEqualTo("customer");
    }

    @Test
    void fleetAdminsListTheirOwnFleetOnlyAndAnotherFleetsIdIsNotFound() {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        Fleet mine = anApprovedFleet(systemAdmin);
        Fleet theirs = anApprovedFleet(systemAdmin);
        UUID driver = aFleetDriverApplicant(mine.id()).getKey();
        Api.Response vehicle = registerVehicle(aPlate(), mine.admin().accessToken());
        assertThat(vehicle.status()).as(vehicle.toString()).isEqualTo(201);

        Api.Response drivers = api().get(
                        "/api/v1/fleets/" + mine.id() + "/drivers?limit=10",
                        mine.admin().accessToken());
        assertThat(drivers.status()).as(drivers.toString()).isEqualTo(200);
        assertThat(drivers.body().get("items").get(0).get("id").asString()).isEqualTo(driver.toString());
        assertThat(api().get(
                                "/api/v1/fleets/" + mine.id() + "/drivers?q=nobody-is-called-this",
                                mine.admin().accessToken())
                        .body()
                        .get("items")
                        .size())
                .isZero();
        Api.Response vehicles = api().get(
                        "/api/v1/fleets/" + mine.id() + "/vehicles?q=camry",
                        mine.admin().accessToken());
        assertThat(vehicles.body().get("items").size()).isEqualTo(1);
        for (String list : List.of("drivers", "vehicles", "leases", "rides")) {
            assertThat(api().get(
                                    "/api/v1/fleets/" + mine.id() + "/" + list,
                                    mine.admin().accessToken())
                            .status())
                    .as(list)
                    .isEqualTo(200);
            Api.Response foreign = api().get(
                            "/api/v1/fleets/" + theirs.id() + "/" + list,
                            mine.admin().accessToken());
            assertThat(foreign.status()).as(list).isEqualTo(404);
            assertThat(foreign.code()).isEqualTo("not-found");
        }
        assertThat(api().get("/api/v1/fleets/" + theirs.id(), mine.admin().accessToken())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theFleetsAdminDecidesOnItsDriversAndAnotherFleetsAdminFindsNoSuchDriver() {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        Fleet mine = anApprovedFleet(systemAdmin);
        Fleet theirs = anApprovedFleet(systemAdmin);
        var applicant = aFleetDriverApplicant(mine.id());
        UUID driver = applicant.getKey();

        Api.Response foreign = api().post(
                        "/api/v1/drivers/" + driver + "/decision",
                        Map.of("approve", true, "reason", "ok"),
                        theirs.admin().accessToken());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("not-found");
        assertThat(api().get("/api/v1/drivers/" + driver, theirs.admin().accessToken())
                        .status())
                .isEqualTo(404);
        assertThat(api().get(
                                "/api/v1/drivers/" + driver + "/documents",
                                theirs.admin().accessToken())
                        .status())
                .isEqualTo(404);

        Api.Response approved = api().post(
                        "/api/v1/drivers/" + driver + "/decision",
                        Map.of("approve", true, "reason", "Licence verified with FRSC"),
                        mine.admin().accessToken());
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.text("status")).isEqualTo("approved");
        assertThat(approved.text("statusReason")).isEqualTo("Licence verified with FRSC");
        assertThat(superuser()
                        .sql("SELECT user_type::text FROM public.users WHERE id = :id")
                        .param("id", applicant.getValue().id())
                        .query(String.class)
                        .single())
                .isEqualTo("driver");

        // VIP vetting is a VIP admin's.
        assertThat(api().post(
                                "/api/v1/drivers/" + driver + "/vip-vetting",
                                Map.of(),
                                mine.admin().accessToken())
                        .status())
                .isEqualTo(403);
        SignedIn vipAdmin = accounts().aSignedInStaffMember("vip_admin");
        Api.Response vetted =
                api().post("/api/v1/drivers/" + driver + "/vip-vetting", Map.of(), vipAdmin.accessToken());
        assertThat(vetted.status()).as(vetted.toString()).isEqualTo(200);
        assertThat(api().get("/api/v1/drivers/" + driver, mine.admin().accessToken())
                        .body()
                        .get("vipVetted")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void vehiclesHaveUniquePlatesAndGoOnlyToTheirFleetsDrivers() {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        Fleet mine = anApprovedFleet(systemAdmin);
        Fleet theirs = anApprovedFleet(systemAdmin);
        UUID driver = aFleetDriverApplicant(mine.id()).getKey();
        String plate = aPlate();
        Api.Response vehicle = registerVehicle(plate.toLowerCase(), mine.admin().accessToken());
        assertThat(vehicle.status()).as(vehicle.toString()).isEqualTo(201);
        assertThat(vehicle.text("plateNumber")).isEqualTo(plate);
        assertThat(vehicle.text("fleetCompanyId")).isEqualTo(mine.id().toString());
        UUID vehicleId = UUID.fromString(vehicle.text("id"));

        Api.Response duplicate = registerVehicle(plate, theirs.admin().accessToken());
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("duplicate-plate");
        assertThat(registerVehicle(aPlate(), accounts().aSignedInCustomer().accessToken())
                        .status())
                .isEqualTo(403);
        UUID theirVehicle = UUID.fromString(
                registerVehicle(aPlate(), theirs.admin().accessToken()).text("id"));

        // Another fleet's vehicle, or another fleet's admin: not found, and nothing changes.
        Api.Response foreignVehicle = api().send(
                        put("/api/v1/drivers/" + driver + "/vehicle", Map.of("vehicleId", theirVehicle), mine.admin()));
        assertThat(foreignVehicle.status()).as(foreignVehicle.toString()).isEqualTo(404);
        Api.Response foreignAdmin = api().send(
                        put("/api/v1/drivers/" + driver + "/vehicle", Map.of("vehicleId", vehicleId), theirs.admin()));
        assertThat(foreignAdmin.status()).isEqualTo(404);
        assertThat(api().get("/api/v1/vehicles/" + vehicleId, theirs.admin().accessToken())
                        .status())
                .isEqualTo(404);

        Api.Response assigned =
                api().send(put("/api/v1/drivers/" + driver + "/vehicle", Map.of("vehicleId", vehicleId), mine.admin()));
        assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
        assertThat(assigned.text("currentVehicleId")).isEqualTo(vehicleId.toString());
        Api.Response released = api().send(api().request(
                        "/api/v1/drivers/" + driver + "/vehicle", mine.admin().accessToken())
                .DELETE()
                .build());
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.text("currentVehicleId")).isNull();

        SignedIn vipAdmin = accounts().aSignedInStaffMember("vip_admin");
        assertThat(api().post(
                                "/api/v1/vehicles/" + vehicleId + "/vip-certification",
                                Map.of(),
                                mine.admin().accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(api().post("/api/v1/vehicles/" + vehicleId + "/vip-certification", Map.of(), vipAdmin.accessToken())
                        .status())
                .isEqualTo(200);
        assertThat(api().get("/api/v1/vehicles/" + vehicleId, mine.admin().accessToken())
                        .body()
                        .get("vipCertified")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aDocumentIsStoredWithItsChecksumAndARefusedUploadWritesNothing() throws Exception {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        Fleet mine = anApprovedFleet(systemAdmin);
        Fleet theirs = anApprovedFleet(systemAdmin);
        var applicant = aFleetDriverApplicant(mine.id());
        UUID driver = applicant.getKey();
        SignedIn rider = accounts().signIn(applicant.getValue());

        Api.Response uploaded = api().send(upload(
                "/api/v1/drivers/" + driver + "/documents",
                "driver_licence",
                LocalDate.now().plusYears(3),
                "application/pdf",
                PDF,
                rider));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PDF));
        assertThat(uploaded.text("sha256")).isEqualTo(sha256);
        Map<String, Object> row = superuser()
                .sql(
                        "SELECT storage_key, encode(sha256, 'hex') AS sha256, size_bytes FROM public.fleet_documents WHERE id = :id")
                .param("id", UUID.fromString(uploaded.text("id")))
                .query()
                .singleRow();
        assertThat(row.get("sha256")).isEqualTo(sha256);
        assertThat(Files.readAllBytes(Path.of("target/test-documents").resolve((String) row.get("storage_key"))))
                .isEqualTo(PDF);
        assertThat(superuser()
                        .sql("SELECT license_expires_on FROM public.drivers WHERE id = :id")
                        .param("id", driver)
                        .query(LocalDate.class)
                        .single())
                .isEqualTo(LocalDate.now().plusYears(3));
        // The fleet's admin sees it and fetches the file; another fleet's admin finds nothing.
        Api.Response file = api().get(
                        "/api/v1/documents/" + uploaded.text("id") + "/file",
                        mine.admin().accessToken());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.raw().getBytes(StandardCharsets.US_ASCII)).isEqualTo(PDF);
        assertThat(api().get(
                                "/api/v1/documents/" + uploaded.text("id") + "/file",
                                theirs.admin().accessToken())
                        .status())
                .isEqualTo(404);

        long before = documentCount();
        Api.Response foreign = api().send(upload(
                "/api/v1/drivers/" + driver + "/documents",
                "background_check",
                LocalDate.now().plusYears(1),
                "application/pdf",
                PDF,
                theirs.admin()));
        assertThat(foreign.status()).isEqualTo(404);
        Api.Response wrongType = api().send(upload(
                "/api/v1/drivers/" + driver + "/documents",
                "background_check",
                LocalDate.now().plusYears(1),
                "application/pdf",
                "not a pdf".getBytes(StandardCharsets.US_ASCII),
                rider));
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.code()).isEqualTo("unsupported-document-type");
        Api.Response tooLarge = api().send(upload(
                "/api/v1/drivers/" + driver + "/documents",
                "background_check",
                LocalDate.now().plusYears(1),
                "application/pdf",
                pdfOf(450_000),
                rider));
        assertThat(tooLarge.status()).isEqualTo(413);
        Api.Response mismatch = api().send(upload(
                "/api/v1/drivers/" + driver + "/documents",
                "insurance",
                LocalDate.now().plusYears(1),
                "application/pdf",
                PDF,
                rider));
        assertThat(mismatch.code()).isEqualTo("document-kind-mismatch");
        assertThat(documentCount()).isEqualTo(before);
    }

    @Test
    void aDriverWithAnExpiredLicenceIsNeverOfferedARideAndCannotGoOnlineUntilItIsRenewed() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(300);
        // The licence runs out while the driver is online (the date passes).
        superuser()
                .sql("UPDATE public.drivers SET license_expires_on = current_date - 1 WHERE id = :id")
                .param("id", driver.id())
                .update();

        Api.Response notOffered = world.requestRide(world.rider("normal"));
        assertThat(notOffered.status()).as(notOffered.toString()).isIn(200, 201);
        assertThat(notOffered.text("driverId")).as(notOffered.toString()).isNull();

        world.offline(driver);
        Api.Response online = api().post("/api/v1/drivers/me/online", Map.of(), driver.token());
        assertThat(online.status()).as(online.toString()).isEqualTo(409);
        assertThat(online.code()).isEqualTo("document-expired");

        Api.Response renewed = api().send(upload(
                "/api/v1/drivers/" + driver.id() + "/documents",
                "driver_licence",
                LocalDate.now().plusYears(5),
                "application/pdf",
                PDF,
                driver.user()));
        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(201);
        assertThat(api().post("/api/v1/drivers/me/online", Map.of(), driver.token())
                        .status())
                .isEqualTo(200);
        assertThat(api().post(
                                "/api/v1/drivers/me/position",
                                Map.of("lat", world.latNorth(300), "lng", world.lng),
                                driver.token())
                        .status())
                .isEqualTo(200);
        // The ride that waited is offered to the renewed driver at the dispatcher's next pass.
        superuser()
                .sql("UPDATE public.rides SET next_dispatch_at = now() WHERE id = :id")
                .param("id", UUID.fromString(notOffered.text("id")))
                .update();
        dispatchPass.runOnce();
        assertThat(superuser()
                        .sql("SELECT driver_id FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(notOffered.text("id")))
                        .query(UUID.class)
                        .optional())
                .contains(driver.id());
    }

    @Test
    void anExpiredVehicleDocumentKeepsItsDriverOffTheRoad() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(300);
        superuser()
                .sql("UPDATE public.vehicles SET insurance_expires_on = current_date - 1 WHERE id = :id")
                .param("id", driver.vehicle())
                .update();

        assertThat(world.requestRide(world.rider("normal")).text("driverId")).isNull();
    }

    @Test
    void remindersGoOutOncePerThresholdToTheDocumentsKeeper() {
        RideWorld world = new RideWorld(superuser(), accounts(), api());
        RideWorld.Driver driver = world.driverAt(0);
        Api.Response document = api().send(upload(
                "/api/v1/drivers/" + driver.id() + "/documents",
                "background_check",
                LocalDate.now().plusDays(5),
                "application/pdf",
                PDF,
                driver.user()));
        assertThat(document.status()).as(document.toString()).isEqualTo(201);

        JobRun first = jobs.runNow(DocumentReminders.JOB);
        JobRun second = jobs.runNow(DocumentReminders.JOB);
        assertThat(first.succeeded()).isTrue();
        assertThat(reminders(driver.user(), document.text("id"))).containsExactly(7L);
        assertThat(second.succeeded()).isTrue();

        // A day before it expires, the last reminder; then nothing more.
        superuser()
                .sql("UPDATE public.fleet_documents SET expires_on = current_date + 1 WHERE id = :id")
                .param("id", UUID.fromString(document.text("id")))
                .update();
        jobs.runNow(DocumentReminders.JOB);
        jobs.runNow(DocumentReminders.JOB);
        assertThat(reminders(driver.user(), document.text("id"))).containsExactly(1L, 7L);
        SignedIn someoneElse = accounts().aSignedInCustomer();
        assertThat(api().get("/api/v1/me/notifications", someoneElse.accessToken())
                        .body()
                        .get("items")
                        .size())
                .isZero();
    }

    /** The thresholds of the reminders of one document that the user reads in their notifications. */
    private List<Long> reminders(SignedIn user, String documentId) {
        Api.Response mine = api().get("/api/v1/me/notifications?limit=50", user.accessToken());
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        List<Long> thresholds = new java.util.ArrayList<>();
        mine.body().get("items").forEach(n -> {
            if (n.get("type").asString().equals("document-expiring")
                    && n.get("payload").get("documentId").asString().equals(documentId)) {
                thresholds.add(n.get("payload").get("threshold").asLong());
            }
        });
        return thresholds;
    }

    private long documentCount() {
        return superuser()
                .sql("SELECT count(*) FROM public.fleet_documents")
                .query(Long.class)
                .single();
    }

    private static byte[] pdfOf(int size) {
        byte[] content = new byte[size];
        System.arraycopy(PDF, 0, content, 0, PDF.length);
        return content;
    }

    private HttpRequest put(String path, Map<String, Object> body, SignedIn caller) {
        String json = body.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
        return api().request(path, caller.accessToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private HttpRequest upload(
            String path, String kind, LocalDate expiresOn, String contentType, byte[] content, SignedIn caller) {
        String boundary = "----vipride" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> fields = Map.of(
                "kind",
                kind,
                "number",
                "DOC-" + UUID.randomUUID().toString().substring(0, 8),
                "issuer",
                "FRSC",
                "expiresOn",
                expiresOn.toString());
        fields.forEach((name, value) -> body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doc\"\r\n"
                        + "Content-Type: " + contentType + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api().request(path, caller.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }
}
