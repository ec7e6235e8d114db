package com.vipride.simulator;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeds a city through the API alone, as first-ride.sh, hotel-stay.sh and the VIP flows do: Lagos and a
 * USD→NGN rate if missing, two vetted fleets, approved drivers with documents and assigned vehicles,
 * riders, two VIPs made by a VIP administrator, a hotel with rooms and a rate plan, the VIP chauffeur (vetted,
 * in a certified car, on the premium plan), and the staff the console is watched with (a support agent and
 * an emergency responder). Everyone carries this run's suffix, so a second run against the same service
 * makes its own people and reuses the city and the rate.
 */
final class Seeder {

    /** Transfers at most before the chauffeur's earnings must cover the premium plan. */
    private static final int MAX_CHAUFFEUR_RUNS = 20;
    /** The first transfer after which the chauffeur tries the plan (a transfer earns about an eighth of it). */
    private static final int FIRST_PLAN_ATTEMPT = 6;
    /** The simulated hotel's door (Awolowo Road, Ikoyi) and central Ibadan, where its guests' transfers go. */
    private static final Map<String, Double> HOTEL = Map.of("lat", 6.4450, "lng", 3.4190);

    private static final Map<String, Double> IBADAN = Map.of("lat", 7.3775, "lng", 3.9470);

    private final ApiClient api;
    private final SimulationSettings settings;
    private final PrintStream out;
    private final ExecutorService workers;
    private final String run;
    private final String password;
    private final long phoneBase;
    private final AtomicInteger phones = new AtomicInteger();
    /** The transfers the chauffeur drove to pay for the premium plan. */
    private final AtomicLong chauffeurRuns;

    private final String inAYear = LocalDate.now(ZoneOffset.UTC).plusYears(1).toString();

    Seeder(ApiClient api, SimulationSettings settings, PrintStream out, ExecutorService workers, Stats stats) {
        this.chauffeurRuns = stats.chauffeurRuns;
        this.api = api;
        this.settings = settings;
        this.out = out;
        this.workers = workers;
        long now = System.currentTimeMillis();
        this.run = Long.toString(now / 1000 % 60_466_176L, 36).toUpperCase(Locale.ROOT);
        this.password = "sim city " + run.toLowerCase(Locale.ROOT) + " 1";
        this.phoneBase = now / 1000 % 1_000_000 * 1000;
    }

    City seed() {
        Session admin = Session.signIn(api, settings.adminEmail(), settings.adminPassword());
        require(admin != null, "the system admin could not sign in (ADMIN_EMAIL / ADMIN_PASSWORD)");
        cityAndRate(admin);

        List<Session> fleets = new ArrayList<>();
        List<String> fleetIds = new ArrayList<>();
        for (String name : List.of("Eko Premier Cars", "Island Executive Rides")) {
            Session owner = register("Fleet", "fleet-" + fleetIds.size());
            String fleetId = ok(
                            api.post(
                                    "/api/v1/fleets",
                                    owner.token(),
                                    Map.of(
                                            "name",
                                            name + " " + run,
                                            "registrationNumber",
                                            "RC-SIM-" + run + "-" + fleetIds.size(),
                                            "contactEmail",
                                            owner.email,
                                            "contactPhone",
                                            phone(),
                                            "operatingCities",
                                            List.of("lagos"))),
                            "a fleet applies")
                    .text("id");
            ok(
                    api.post(
                            "/api/v1/fleets/" + fleetId + "/verification",
                            admin.token(),
                            Map.of("approve", true, "reason", "CAC registration checked")),
                    "the fleet is vetted");
            owner.renew(); // the applicant now administers the fleet
            fleets.add(owner);
            fleetIds.add(fleetId);
        }
        out.println("seeded: 2 fleets vetted");

        SplittableRandom random = new SplittableRandom(run.hashCode());
        List<Callable<SimDriver>> driverJobs = new ArrayList<>();
        for (int i = 0; i < settings.drivers(); i++) {
            int index = i;
            LagosRoads.Road road = LagosRoads.ROADS.get(i % LagosRoads.ROADS.size());
            double offset = random.nextDouble() * road.lengthM();
            driverJobs.add(() -> driver(index, fleets.get(index % 2), fleetIds.get(index % 2), road, offset));
        }
        List<SimDriver> drivers = all(driverJobs);
        out.println("seeded: " + drivers.size() + " drivers approved, with documents and an assigned vehicle");

        List<Callable<City.Rider>> riderJobs = new ArrayList<>();
        for (int i = 0; i < settings.riders(); i++) {
            int index = i;
            riderJobs.add(() -> new City.Rider(register("Rider", "rider-" + index)));
        }
        List<City.Rider> riders = all(riderJobs);
        out.println("seeded: " + riders.size() + " riders");

        Map<String, String> credentials = new LinkedHashMap<>();
        Session support = staff(admin, "support_agent", "Sade", null, credentials);
        Session responder = staff(admin, "emergency_responder", "Kemi", null, credentials);
        Session vipAdmin = staff(admin, "vip_admin", "Bola", null, credentials);
        List<City.Rider> vips = List.of(vip(vipAdmin, "vip"), vip(vipAdmin, "vip-2"));
        out.println("seeded: staff and two VIPs");

        String hotelId = ok(
                        api.post(
                                "/api/v1/hotels",
                                admin.token(),
                                Map.of(
                                        "name",
                                        "Simulated Suites " + run,
                                        "city",
                                        "lagos",
                                        "address",
                                        "1 Awolowo Road, Ikoyi",
                                        "lat",
                                        HOTEL.get("lat"),
                                        "lng",
                                        HOTEL.get("lng"),
                                        "starRating",
                                        5,
                                        "contactEmail",
                                        "desk-" + run.toLowerCase(Locale.ROOT) + "@sim.example",
                                        "contactPhone",
                                        phone(),
                                        "tier",
                                        "preferred")),
                        "a hotel is onboarded")
                .text("id");
        Session hotelStaff = staff(admin, "hotel_staff", "Desk", hotelId, credentials);
        String roomTypeId = ok(
                        api.post(
                                "/api/v1/hotels/" + hotelId + "/room-types",
                                hotelStaff.token(),
                                Map.of(
                                        "name",
                                        "Deluxe king",
                                        "category",
                                        "deluxe",
                                        "capacity",
                                        2,
                                        "amenities",
                                        List.of("wifi", "breakfast"))),
                        "a room type")
                .text("id");
        for (int room = 1; room <= 12; room++) {
            ok(
                    api.post(
                            "/api/v1/hotels/" + hotelId + "/rooms",
                            hotelStaff.token(),
                            Map.of("roomNumber", String.valueOf(300 + room), "roomTypeId", roomTypeId)),
                    "a room");
        }
        ok(
                api.post(
                        "/api/v1/hotels/" + hotelId + "/rate-plans",
                        hotelStaff.token(),
                        Map.of(
                                "roomTypeId",
                                roomTypeId,
                                "name",
                                "Best available",
                                "currency",
                                "NGN",
                                "baseNightlyMinor",
                                8_000_000,
                                "weekendSurchargeBp",
                                2500,
                                "freeCancellationHours",
                                48,
                                "cancellationFeeBp",
                                5000,
                                "validFrom",
                                LocalDate.now(ZoneOffset.UTC).toString())),
                "a rate plan");
        out.println("seeded: a hotel with 12 rooms and a rate plan");
        List<SimDriver> everyDriver = new ArrayList<>(drivers);
        if (!settings.vipRideEvery().isZero()) {
            Hotel hotel = new Hotel(hotelId, roomTypeId, hotelStaff);
            everyDriver.add(chauffeur(fleets.get(0), fleetIds.get(0), vipAdmin, riders.get(0), hotel));
        }
        return new City(
                run,
                password,
                admin,
                everyDriver,
                riders,
                vips,
                support,
                responder,
                vipAdmin,
                hotelStaff,
                hotelId,
                roomTypeId,
                vips.get(0).session.userId,
                credentials);
    }

    private void cityAndRate(Session admin) {
        ApiClient.Response lagos = api.send(
                "GET", "/api/v1/admin/cities/lagos", admin.token(), null, java.util.Set.of("not-found"), Map.of());
        if (lagos.status() == 404) {
            ok(
                    api.post(
                            "/api/v1/admin/cities",
                            admin.token(),
                            Map.of("city", "lagos", "settings", Map.of("currency", "NGN", "referenceLat", 6.52))),
                    "Lagos is opened");
        } else {
            ok(lagos, "Lagos is read");
        }
        // A rate in force now (one dated in the future does not price a subscription today).
        ApiClient.Response rates = ok(
                api.get(
                        "/api/v1/admin/exchange-rates?base=USD&quote=NGN&limit=1&before=" + Instant.now(),
                        admin.token()),
                "the rates are read");
        if (rates.body().path("items").isEmpty()) {
            ok(
                    api.post(
                            "/api/v1/admin/exchange-rates",
                            admin.token(),
                            Map.of("baseCurrency", "USD", "quoteCurrency", "NGN", "rate", 1500, "source", "CBN")),
                    "a USD→NGN rate is added");
        }
    }

    private SimDriver driver(int index, Session fleetAdmin, String fleetId, LagosRoads.Road road, double offset) {
        Session applicant = register("Driver", "driver-" + index);
        String licence = "LAG-SIM-" + run + "-" + index;
        String driverId = approvedDriver(applicant, licence, fleetAdmin, fleetId);
        String vehicleId = vehicle(fleetAdmin, "S" + run + "-" + index, "Toyota", "Camry", "sedan", licence);
        assign(fleetAdmin, driverId, vehicleId);
        return new SimDriver(applicant, driverId, road, offset, false);
    }

    /** A driver's application with a licence and a background check, approved by the fleet's admin. */
    private String approvedDriver(Session applicant, String licence, Session fleetAdmin, String fleetId) {
        String driverId = ok(
                        api.post(
                                "/api/v1/drivers",
                                applicant.token(),
                                Map.of(
                                        "category", "fleet_driver",
                                        "fleetId", fleetId,
                                        "licenceNumber", licence,
                                        "licenceExpiresOn", inAYear,
                                        "city", "lagos")),
                        "a driver applies")
                .text("id");
        document("/api/v1/drivers/" + driverId + "/documents", applicant, "driver_licence", licence, "FRSC");
        document(
                "/api/v1/drivers/" + driverId + "/documents",
                applicant,
                "background_check",
                "BG-" + licence,
                "Lagos State Police");
        ok(
                api.post(
                        "/api/v1/drivers/" + driverId + "/decision",
                        fleetAdmin.token(),
                        Map.of("approve", true, "reason", "Licence verified with FRSC")),
                "the driver is approved");
        applicant.renew(); // now a driver account
        return driverId;
    }

    /** A vehicle of the fleet with its insurance and registration documents. */
    private String vehicle(Session fleetAdmin, String plate, String make, String model, String type, String licence) {
        String vehicleId = ok(
                        api.post(
                                "/api/v1/vehicles",
                                fleetAdmin.token(),
                                Map.of(
                                        "plateNumber", plate,
                                        "make", make,
                                        "model", model,
                                        "modelYear", 2023,
                                        "color", "black",
                                        "vehicleType", type,
                                        "seats", 4)),
                        "a vehicle is registered")
                .text("id");
        document(
                "/api/v1/vehicles/" + vehicleId + "/documents",
                fleetAdmin,
                "insurance",
                "INS-" + licence,
                "Leadway Assurance");
        document(
                "/api/v1/vehicles/" + vehicleId + "/documents",
                fleetAdmin,
                "vehicle_registration",
                "REG-" + licence,
                "Lagos MVAA");
        return vehicleId;
    }

    private void assign(Session fleetAdmin, String driverId, String vehicleId) {
        ok(
                api.send(
                        "PUT",
                        "/api/v1/drivers/" + driverId + "/vehicle",
                        fleetAdmin.token(),
                        Map.of("vehicleId", vehicleId),
                        java.util.Set.of(),
                        Map.of()),
                "the vehicle is assigned");
    }

    private record Hotel(String id, String roomTypeId, Session staff) {}

    /**
     * The VIP chauffeur, made eligible for VIP rides the way the product allows: a fleet driver whom the VIP
     * administrator vets, in a luxury car the VIP administrator certifies, on the premium plan. The plan's
     * first month is paid from the driver's earnings at once, so the chauffeur first earns it (see
     * earnPremiumPlan). Luxury rides are the chauffeur's alone in this city, so ordinary traffic (sedans) never
     * takes the chauffeur away from the VIPs.
     */
    private SimDriver chauffeur(Session fleetAdmin, String fleetId, Session vipAdmin, City.Rider guest, Hotel hotel) {
        Session applicant = register("Chauffeur", "chauffeur");
        String licence = "LAG-SIM-" + run + "-VIP";
        String driverId = approvedDriver(applicant, licence, fleetAdmin, fleetId);
        String vehicleId = vehicle(fleetAdmin, "V" + run + "-1", "Mercedes-Benz", "S 580", "luxury", licence);
        ok(
                api.post("/api/v1/vehicles/" + vehicleId + "/vip-certification", vipAdmin.token(), Map.of()),
                "the VIP administrator certifies the chauffeur's car");
        assign(fleetAdmin, driverId, vehicleId);
        ok(
                api.post("/api/v1/drivers/" + driverId + "/vip-vetting", vipAdmin.token(), Map.of()),
                "the VIP administrator vets the chauffeur");
        LagosRoads.Road road = LagosRoads.ROADS.get(0);
        SimDriver chauffeur = new SimDriver(applicant, driverId, road, road.lengthM() / 3, true);
        int runs = earnPremiumPlan(chauffeur, guest, hotel);
        out.println("seeded: a VIP chauffeur, vetted, in a certified car, on the premium plan after " + runs
                + " transfers to Ibadan billed to the hotel");
        return chauffeur;
    }

    /**
     * The chauffeur earns the premium plan's first month. A rider cannot save a card through the API, so the
     * riders' fares are cash the driver collects, which leaves the platform's commission owed, not earnings;
     * a ride a hotel bills to itself is paid from the hotel's account and credits the driver's share. So the
     * hotel's guest (a seeded rider with a stay) is driven to Ibadan in the limousine, billed to the hotel,
     * until the chauffeur's earnings cover the plan: about eight transfers. Each is dispatched like any
     * hotel ride (the dispatcher pass offers it to the nearest luxury driver: the chauffeur, waiting at the
     * hotel), and the chauffeur takes it from the offers while seeding.
     */
    private int earnPremiumPlan(SimDriver chauffeur, City.Rider guest, Hotel hotel) {
        Session driver = chauffeur.session;
        LocalDate checkIn = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        String bookingId = ok(
                        api.send(
                                "POST",
                                "/api/v1/hotel-bookings",
                                guest.session.token(),
                                Map.of(
                                        "hotelId", hotel.id(),
                                        "roomTypeId", hotel.roomTypeId(),
                                        "checkIn", checkIn.toString(),
                                        "checkOut", checkIn.plusDays(3).toString(),
                                        "guests", 1),
                                java.util.Set.of(),
                                Map.of("Idempotency-Key", "sim-" + run + "-chauffeured-stay")),
                        "the chauffeured guest books a stay")
                .text("id");
        ok(
                api.post(
                        "/api/v1/hotel-bookings/" + bookingId + "/confirm",
                        hotel.staff().token(),
                        Map.of()),
                "the hotel confirms the chauffeured guest's stay");
        ok(api.post("/api/v1/drivers/me/position", driver.token(), HOTEL), "the chauffeur waits at the hotel");
        ok(api.post("/api/v1/drivers/me/online", driver.token(), null), "the chauffeur goes online");
        long metres = Math.round(new LagosRoads.Point(HOTEL.get("lat"), HOTEL.get("lng"))
                        .metresTo(new LagosRoads.Point(IBADAN.get("lat"), IBADAN.get("lng")))
                * 1.3);
        for (int runs = 1; runs <= MAX_CHAUFFEUR_RUNS; runs++) {
            ok(api.post("/api/v1/drivers/me/position", driver.token(), HOTEL), "the chauffeur waits at the hotel");
            String rideId = ok(
                            api.post(
                                    "/api/v1/hotel-bookings/" + bookingId + "/rides",
                                    hotel.staff().token(),
                                    Map.of(
                                            "purpose", "guest_ride",
                                            "vehicleType", "luxury",
                                            "pickup", HOTEL,
                                            "dropoff", IBADAN,
                                            "pickupAddress", "Simulated Suites, 1 Awolowo Road, Ikoyi",
                                            "dropoffAddress", "Ibadan",
                                            "billedTo", "hotel")),
                            "the hotel sends its guest to Ibadan in the limousine")
                    .text("rideId");
            awaitOffer(driver, rideId);
            for (String step : List.of("accept", "arrive", "start")) {
                ok(api.post("/api/v1/rides/" + rideId + "/" + step, driver.token(), null), "the chauffeur's " + step);
            }
            ok(
                    api.post(
                            "/api/v1/rides/" + rideId + "/complete", driver.token(), Map.of("actualDistanceM", metres)),
                    "the chauffeur arrives in Ibadan");
            chauffeurRuns.incrementAndGet();
            if (runs >= FIRST_PLAN_ATTEMPT
                    && api.send(
                                    "POST",
                                    "/api/v1/drivers/me/subscription",
                                    driver.token(),
                                    Map.of("tier", "premium"),
                                    java.util.Set.of("insufficient-earnings"),
                                    Map.of())
                            .ok()) {
                return runs;
            }
        }
        throw new IllegalStateException("seeding failed: the chauffeur's earnings never covered the premium plan");
    }

    /** The dispatcher pass offers a hotel's ride within seconds; the chauffeur looks at the offers until it is there. */
    private void awaitOffer(Session driver, String rideId) {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            ApiClient.Response offers =
                    ok(api.get("/api/v1/drivers/me/offers", driver.token()), "the chauffeur's offers");
            if (offers.body()
                    .valueStream()
                    .anyMatch(o -> rideId.equals(o.path("rideId").asString(""))
                            && "offered".equals(o.path("status").asString("")))) {
                return;
            }
            ApiClient.sleep(500);
        }
        throw new IllegalStateException(
                "seeding failed: the hotel's ride " + rideId + " was not offered to the chauffeur");
    }

    private void document(String path, Session owner, String kind, String number, String issuer) {
        ok(
                api.upload(
                        path,
                        owner.token(),
                        Map.of("kind", kind, "number", number, "issuer", issuer, "expiresOn", inAYear),
                        number),
                "a document (" + kind + ")");
    }

    private City.Rider vip(Session vipAdmin, String who) {
        Session customer = register("Vip", who);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("userId", customer.userId);
        profile.put("priorityLevel", 2);
        profile.put("clearanceLevel", "corporate");
        profile.put("threatLevel", "medium");
        profile.put("requiresSecurityEscort", false);
        profile.put("emergencyContacts", List.of(Map.of("name", "Amaka Obi", "phone", phone(), "relation", "sister")));
        ok(api.post("/api/v1/vip/profiles", vipAdmin.token(), profile), "a VIP is made by the VIP administrator");
        customer.renew(); // now a VIP-tier rider
        return new City.Rider(customer);
    }

    private Session staff(
            Session admin, String role, String firstName, String hotelId, Map<String, String> credentials) {
        String email = role.replace('_', '-') + "-" + run.toLowerCase(Locale.ROOT) + "@sim.example";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("phone", phone());
        body.put("firstName", firstName);
        body.put("lastName", "Simulation");
        body.put("role", role);
        body.put("password", password);
        if (hotelId != null) {
            body.put("hotelId", hotelId);
        }
        ok(api.post("/api/v1/admin/staff", admin.token(), body), "a " + role + " account");
        credentials.put(role, email);
        Session session = Session.signIn(api, email, password);
        require(session != null, role + " could not sign in");
        return session;
    }

    private Session register(String firstName, String who) {
        String email = who + "-" + run.toLowerCase(Locale.ROOT) + "@sim.example";
        ok(
                api.post(
                        "/api/v1/auth/register",
                        null,
                        Map.of(
                                "email",
                                email,
                                "phone",
                                phone(),
                                "password",
                                password,
                                "firstName",
                                firstName,
                                "lastName",
                                "Simulation",
                                "dataProcessingConsent",
                                true)),
                "registration of " + email);
        Session session = Session.signIn(api, email, password);
        require(session != null, email + " could not sign in");
        return session;
    }

    String password() {
        return password;
    }

    private String phone() {
        return String.format("+2347%09d", (phoneBase + phones.incrementAndGet()) % 1_000_000_000L);
    }

    private <T> List<T> all(List<Callable<T>> jobs) {
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : workers.invokeAll(jobs)) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("seeding interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static ApiClient.Response ok(ApiClient.Response response, String step) {
        require(response.ok(), step + " answered " + response.status() + " " + response.body());
        return response;
    }

    private static void require(boolean held, String what) {
        if (!held) {
            throw new IllegalStateException("seeding failed: " + what);
        }
    }
}
