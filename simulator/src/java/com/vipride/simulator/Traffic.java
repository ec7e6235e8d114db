package com.vipride.simulator;

import com.vipride.simulator.LagosRoads.Point;
import com.vipride.simulator.LagosRoads.Road;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The city's traffic on a few scheduler threads: every driver posts their position at a steady interval;
 * riders request rides at the set rate, each ride a chain of scheduled steps taken by its rider, its
 * driver and the staff (offer polled and accepted, driver drives to the pickup, arrives, starts, drives
 * to the drop-off, completes, both rate); every Nth ride is cancelled by its rider, raises an SOS a
 * responder acknowledges and resolves, or is partly refunded by support; now and then a rider books a
 * hotel stay that the hotel confirms.
 */
final class Traffic {

    private static final Set<String> OFFER_GONE = Set.of("offer-closed", "not-found");

    private final City city;
    private final ApiClient api;
    private final Stats stats;
    private final SimulationSettings settings;
    private final ScheduledExecutorService scheduler;
    private final PrintStream out;
    private final Map<String, SimDriver> driversById;
    private final Set<Long> ridesUnderWay = ConcurrentHashMap.newKeySet();
    private final AtomicLong rideNumbers = new AtomicLong();
    private final AtomicLong bookingNumbers = new AtomicLong();
    private final List<ScheduledFuture<?>> ticks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    Traffic(
            City city,
            ApiClient api,
            Stats stats,
            SimulationSettings settings,
            ScheduledExecutorService scheduler,
            PrintStream out) {
        this.city = city;
        this.api = api;
        this.stats = stats;
        this.settings = settings;
        this.scheduler = scheduler;
        this.out = out;
        this.driversById = city.drivers().stream().collect(Collectors.toMap(d -> d.driverId, d -> d));
    }

    /** Drivers go online and start moving; ride requests and hotel bookings start at their pace. */
    void start() {
        long interval = settings.positionInterval().toMillis();
        for (SimDriver driver : city.drivers()) {
            postPosition(driver, driver.position());
            api.post("/api/v1/drivers/me/online", driver.session.token(), null);
            ticks.add(scheduler.scheduleAtFixedRate(
                    () -> guarded(() -> postPosition(driver, driver.position())),
                    ThreadLocalRandom.current().nextLong(interval),
                    interval,
                    TimeUnit.MILLISECONDS));
        }
        long every = Math.max(1, Math.round(60_000 / settings.ridesPerMinute()));
        ticks.add(scheduler.scheduleAtFixedRate(() -> guarded(this::requestRide), 500, every, TimeUnit.MILLISECONDS));
        long bookings = settings.hotelBookingEvery().toMillis();
        if (bookings > 0) {
            ticks.add(scheduler.scheduleAtFixedRate(
                    () -> guarded(this::bookHotelStay), Math.min(3000, bookings), bookings, TimeUnit.MILLISECONDS));
        }
    }

    /** No new rides; the ones under way finish (up to the grace time); the drivers go offline. */
    void stop(long graceMillis) {
        stopping = true;
        long until = System.currentTimeMillis() + graceMillis;
        while (!ridesUnderWay.isEmpty() && System.currentTimeMillis() < until) {
            ApiClient.sleep(200);
        }
        ticks.forEach(tick -> tick.cancel(false));
        for (SimDriver driver : city.drivers()) {
            api.post("/api/v1/drivers/me/offline", driver.session.token(), null);
        }
    }

    int ridesUnderWay() {
        return ridesUnderWay.size();
    }

    private void postPosition(SimDriver driver, Point at) {
        if (api.post("/api/v1/drivers/me/position", driver.session.token(), Map.of("lat", at.lat(), "lng", at.lng()))
                .ok()) {
            stats.positions.incrementAndGet();
        }
    }

    // ---- one ride, step by step ----

    private void requestRide() {
        if (stopping) {
            return;
        }
        City.Rider rider = claimIdle(city.riders());
        if (rider == null) {
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<SimDriver> free =
                city.drivers().stream().filter(d -> !d.busy && d.cruising()).toList();
        Road pickupRoad;
        double pickupOffset;
        if (free.isEmpty()) {
            pickupRoad = LagosRoads.ROADS.get(random.nextInt(LagosRoads.ROADS.size()));
            pickupOffset = random.nextDouble() * pickupRoad.lengthM();
        } else {
            SimDriver near = free.get(random.nextInt(free.size()));
            pickupRoad = near.road();
            pickupOffset = Math.min(pickupRoad.lengthM(), near.offsetM() + random.nextDouble(200, 800));
        }
        Point pickup = pickupRoad.at(pickupOffset);
        Road dropoffRoad = pickupRoad;
        double dropoffOffset = 0;
        for (int attempt = 0; attempt < 30; attempt++) {
            dropoffRoad = LagosRoads.ROADS.get(random.nextInt(LagosRoads.ROADS.size()));
            dropoffOffset = random.nextDouble() * dropoffRoad.lengthM();
            double metres = pickup.metresTo(dropoffRoad.at(dropoffOffset));
            if (metres > 1500 && metres < 15000) {
                break;
            }
        }
        Ride ride = new Ride(rideNumbers.incrementAndGet(), rider, pickupRoad, pickup, dropoffRoad, dropoffOffset);
        ridesUnderWay.add(ride.number);
        ApiClient.Response quote = api.post(
                "/api/v1/fare-quotes",
                rider.session.token(),
                Map.of(
                        "city",
                        "lagos",
                        "vehicleType",
                        "sedan",
                        "pickup",
                        Map.of("lat", pickup.lat(), "lng", pickup.lng()),
                        "dropoff",
                        Map.of("lat", ride.dropoff.lat(), "lng", ride.dropoff.lng())));
        if (!quote.ok()) {
            finish(ride);
            return;
        }
        ApiClient.Response requested = api.send(
                "POST",
                "/api/v1/rides",
                rider.session.token(),
                Map.of(
                        "quoteId", quote.text("id"),
                        "pickupAddress", pickupRoad.name(),
                        "dropoffAddress", dropoffRoad.name()),
                Set.of(),
                Map.of("Idempotency-Key", "sim-" + city.run() + "-" + ride.number));
        if (!requested.ok()) {
            finish(ride);
            return;
        }
        stats.ridesRequested.incrementAndGet();
        ride.id = requested.text("id");
        ride.requestedAt = System.currentTimeMillis();
        if (!takeDriver(ride, requested.text("driverId"))) {
            later(3000, () -> awaitDriver(ride));
        }
    }

    private boolean takeDriver(Ride ride, String driverId) {
        SimDriver driver = driverId == null ? null : driversById.get(driverId);
        if (driver == null) {
            return false;
        }
        driver.busy = true;
        ride.driver = driver;
        later(800, () -> acceptOffer(ride));
        return true;
    }

    /** Nobody was in range yet: the dispatcher pass retries; the rider gives up after a while. */
    private void awaitDriver(Ride ride) {
        ApiClient.Response seen = api.get("/api/v1/rides/" + ride.id, ride.rider.session.token());
        if (!seen.ok()) {
            finish(ride);
            return;
        }
        String status = seen.text("status");
        if ("driver_assigned".equals(status) && takeDriver(ride, seen.text("driverId"))) {
            return;
        }
        if ("pending".equals(status) && System.currentTimeMillis() - ride.requestedAt < 30_000) {
            later(3000, () -> awaitDriver(ride));
            return;
        }
        if ("pending".equals(status) || "driver_assigned".equals(status)) {
            api.send(
                    "POST",
                    "/api/v1/rides/" + ride.id + "/cancel",
                    ride.rider.session.token(),
                    Map.of("reason", "No driver came"),
                    Set.of("illegal-transition"),
                    Map.of());
        }
        stats.unserved.incrementAndGet();
        finish(ride);
    }

    private void acceptOffer(Ride ride) {
        SimDriver driver = ride.driver;
        ApiClient.Response offers = api.get("/api/v1/drivers/me/offers", driver.session.token());
        boolean offered = offers.ok()
                && offers.body()
                        .valueStream()
                        .anyMatch(o -> ride.id.equals(o.path("rideId").asString(""))
                                && "offered".equals(o.path("status").asString("")));
        ApiClient.Response accepted = offered
                ? api.send(
                        "POST",
                        "/api/v1/rides/" + ride.id + "/accept",
                        driver.session.token(),
                        null,
                        OFFER_GONE,
                        Map.of())
                : null;
        if (accepted == null || !accepted.ok()) {
            // The offer timed out or went to someone else: the ride waits for its next driver.
            driver.busy = false;
            ride.driver = null;
            later(2000, () -> awaitDriver(ride));
            return;
        }
        stats.ridesAccepted.incrementAndGet();
        if (every(settings.cancelEvery(), ride.number, 2)) {
            driver.driveTo(ride.pickup, settings.approach().toMillis());
            later(Math.min(2000, settings.approach().toMillis() / 2), () -> cancelByRider(ride));
            return;
        }
        driver.driveTo(ride.pickup, settings.approach().toMillis());
        later(settings.approach().toMillis(), () -> arrive(ride));
    }

    private void cancelByRider(Ride ride) {
        if (step(
                api.post(
                        "/api/v1/rides/" + ride.id + "/cancel",
                        ride.rider.session.token(),
                        Map.of("reason", "Plans changed")),
                ride)) {
            stats.cancellations.incrementAndGet();
            releaseDriver(ride, ride.pickupRoad, ride.pickupRoad.lengthM() / 2);
            finish(ride);
        }
    }

    private void arrive(Ride ride) {
        postPosition(ride.driver, ride.pickup);
        if (step(api.post("/api/v1/rides/" + ride.id + "/arrive", ride.driver.session.token(), null), ride)) {
            later(1000, () -> startTrip(ride));
        }
    }

    private void startTrip(Ride ride) {
        if (!step(api.post("/api/v1/rides/" + ride.id + "/start", ride.driver.session.token(), null), ride)) {
            return;
        }
        long trip = settings.trip().toMillis();
        ride.driver.driveTo(ride.dropoff, trip);
        if (every(settings.sosEvery(), ride.number, 3)) {
            later(trip / 4, () -> raiseSos(ride));
        }
        later(trip, () -> complete(ride));
    }

    private void raiseSos(Ride ride) {
        ApiClient.Response sos = api.post(
                "/api/v1/rides/" + ride.id + "/sos",
                ride.rider.session.token(),
                Map.of("kind", "security", "note", "Simulated SOS: a car is following us"));
        if (!sos.ok()) {
            return;
        }
        stats.sosRaised.incrementAndGet();
        String incident = sos.text("id");
        later(1000, () -> {
            ApiClient.Response acknowledged = api.post(
                    "/api/v1/control-centre/incidents/" + incident + "/acknowledge",
                    city.responder().token(),
                    null);
            if (acknowledged.ok()) {
                later(1000, () -> {
                    if (api.post(
                                    "/api/v1/control-centre/incidents/" + incident + "/resolve",
                                    city.responder().token(),
                                    Map.of("outcome", "false_alarm", "note", "Rider confirmed all is well"))
                            .ok()) {
                        stats.sosResolved.incrementAndGet();
                    }
                });
            }
        });
    }

    private void complete(Ride ride) {
        postPosition(ride.driver, ride.dropoff);
        long distance = Math.round(ride.pickup.metresTo(ride.dropoff) * 1.3);
        if (!step(
                api.post(
                        "/api/v1/rides/" + ride.id + "/complete",
                        ride.driver.session.token(),
                        Map.of("actualDistanceM", distance)),
                ride)) {
            return;
        }
        stats.ridesCompleted.incrementAndGet();
        SimDriver driver = ride.driver;
        releaseDriver(ride, ride.dropoffRoad, ride.dropoffOffset);
        later(500, () -> {
            api.post(
                    "/api/v1/rides/" + ride.id + "/rating",
                    ride.rider.session.token(),
                    Map.of("stars", ThreadLocalRandom.current().nextInt(4, 6)));
            api.post("/api/v1/rides/" + ride.id + "/rating", driver.session.token(), Map.of("stars", 5));
            if (every(settings.refundEvery(), ride.number, 5)) {
                later(1000, () -> refund(ride, 1));
            } else {
                finish(ride);
            }
        });
    }

    /** Support refunds part of a completed ride's fare (a complaint upheld). */
    private void refund(Ride ride, int attempt) {
        ApiClient.Response payments = api.get("/api/v1/payments?limit=20", ride.rider.session.token());
        var payment = payments.ok()
                ? payments.body()
                        .path("items")
                        .valueStream()
                        .filter(p -> ride.id.equals(p.path("rideId").asString(""))
                                && "completed".equals(p.path("status").asString("")))
                        .findFirst()
                        .orElse(null)
                : null;
        if (payment == null) {
            if (payments.ok() && attempt < 10) {
                later(1000, () -> refund(ride, attempt + 1));
            } else {
                if (payments.ok()) {
                    stats.error("sim payment-not-captured");
                    out.println("ERROR the payment of ride " + ride.id + " was not captured");
                }
                finish(ride);
            }
            return;
        }
        long amount = Math.max(1, Math.min(50_000, payment.path("amountMinor").asLong() / 4));
        if (api.send(
                        "POST",
                        "/api/v1/payments/" + payment.path("id").asString() + "/refunds",
                        city.support().token(),
                        Map.of("amountMinor", amount, "reason", "Driver took a longer route"),
                        Set.of(),
                        Map.of("Idempotency-Key", "sim-refund-" + city.run() + "-" + ride.number))
                .ok()) {
            stats.refunds.incrementAndGet();
        }
        finish(ride);
    }

    private void releaseDriver(Ride ride, Road road, double offset) {
        ride.driver.cruise(road, offset);
        ride.driver.busy = false;
    }

    /** Whether a step held; when it did not (an error, counted), the ride is given up. */
    private boolean step(ApiClient.Response response, Ride ride) {
        if (response.ok()) {
            return true;
        }
        if (ride.driver != null) {
            releaseDriver(ride, ride.dropoffRoad, ride.dropoffOffset);
        }
        finish(ride);
        return false;
    }

    private void finish(Ride ride) {
        ride.rider.busy = false;
        ridesUnderWay.remove(ride.number);
    }

    // ---- hotel stays ----

    private void bookHotelStay() {
        if (stopping) {
            return;
        }
        City.Rider rider = claimIdle(city.riders());
        if (rider == null) {
            return;
        }
        try {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            LocalDate checkIn = LocalDate.now(ZoneOffset.UTC).plusDays(random.nextInt(14, 400));
            LocalDate checkOut = checkIn.plusDays(random.nextInt(1, 4));
            ApiClient.Response found = api.get(
                    "/api/v1/hotel-availability?city=lagos&checkIn=" + checkIn + "&checkOut=" + checkOut + "&guests=2",
                    rider.session.token());
            boolean ours = found.ok()
                    && found.body()
                            .valueStream()
                            .anyMatch(
                                    h -> city.hotelId().equals(h.path("hotelId").asString("")));
            if (!ours) {
                return; // sold out for those nights
            }
            ApiClient.Response booking = api.send(
                    "POST",
                    "/api/v1/hotel-bookings",
                    rider.session.token(),
                    Map.of(
                            "hotelId", city.hotelId(),
                            "roomTypeId", city.roomTypeId(),
                            "checkIn", checkIn.toString(),
                            "checkOut", checkOut.toString(),
                            "guests", 2),
                    Set.of(),
                    Map.of("Idempotency-Key", "sim-stay-" + city.run() + "-" + bookingNumbers.incrementAndGet()));
            if (booking.ok()
                    && api.post(
                                    "/api/v1/hotel-bookings/" + booking.text("id") + "/confirm",
                                    city.hotelStaff().token(),
                                    Map.of())
                            .ok()) {
                stats.hotelBookings.incrementAndGet();
            }
        } finally {
            rider.busy = false;
        }
    }

    // ---- helpers ----

    private static City.Rider claimIdle(List<City.Rider> riders) {
        int start = ThreadLocalRandom.current().nextInt(riders.size());
        for (int i = 0; i < riders.size(); i++) {
            City.Rider rider = riders.get((start + i) % riders.size());
            synchronized (rider) {
                if (!rider.busy) {
                    rider.busy = true;
                    return rider;
                }
            }
        }
        return null;
    }

    private static boolean every(int n, long number, int phase) {
        return n > 0 && number % n == phase % n;
    }

    private void later(long millis, Runnable step) {
        scheduler.schedule(() -> guarded(step), Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            stats.error("sim " + e.getClass().getSimpleName());
            out.println("ERROR in the simulation: " + e);
        }
    }

    /** One ride's state, as its steps go. */
    private static final class Ride {
        final long number;
        final City.Rider rider;
        final Road pickupRoad;
        final Point pickup;
        final Road dropoffRoad;
        final double dropoffOffset;
        final Point dropoff;
        volatile String id;
        volatile long requestedAt;
        volatile SimDriver driver;

        Ride(long number, City.Rider rider, Road pickupRoad, Point pickup, Road dropoffRoad, double dropoffOffset) {
            this.number = number;
            this.rider = rider;
            this.pickupRoad = pickupRoad;
            this.pickup = pickup;
            this.dropoffRoad = dropoffRoad;
            this.dropoffOffset = dropoffOffset;
            this.dropoff = dropoffRoad.at(dropoffOffset);
        }
    }
}
