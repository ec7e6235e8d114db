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
 * The city's traffic on a few scheduler threads: every driver posts their position at a steady interval and
 * listens to their live stream for offers; riders request rides at the set rate, each ride a chain of
 * scheduled steps taken by its rider, its driver and the staff (offer streamed and accepted, driver drives to
 * the pickup, arrives, starts, drives to the drop-off, completes, both rate); every Nth ride is cancelled by
 * its rider, raises an SOS a responder acknowledges and resolves, or is partly refunded by support; now and
 * then a rider books a hotel stay that the hotel confirms, and a VIP rides with the VIP chauffeur, who reports
 * the VIP's positions during the trip.
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
    private final Set<String> ridesUnderWay = ConcurrentHashMap.newKeySet();
    private final AtomicLong rideNumbers = new AtomicLong();
    private final AtomicLong bookingNumbers = new AtomicLong();
    private final List<ScheduledFuture<?>> ticks = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The rides under way by id, for the offers that arrive on the drivers' streams. */
    private final Map<String, Ride> ridesById = new ConcurrentHashMap<>();
    /** Offers that arrived before the request that caused them had answered its rider, by ride id. */
    private final Map<String, SimDriver> earlyOffers = new ConcurrentHashMap<>();

    private final Object offerHandOver = new Object();
    /** VIP trips under way by chauffeur: the VIP is aboard and the chauffeur reports their positions. */
    private final Map<String, Ride> vipTrips = new ConcurrentHashMap<>();

    private final AtomicLong vipRideNumbers = new AtomicLong();
    /** One VIP ride at a time: the city has one chauffeur. */
    private final java.util.concurrent.atomic.AtomicBoolean vipRideUnderWay =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final java.net.http.HttpClient streams = OfferStream.client();
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

    /**
     * Drivers open their live streams, go online once every stream is listening (an offer made before would
     * not be on a first stream) and start moving; ride requests, VIP rides and hotel bookings start at their
     * pace.
     */
    void start() {
        for (SimDriver driver : city.drivers()) {
            driver.stream =
                    new OfferStream(streams, settings.baseUrl(), driver, stats, out, scheduler, this::offerStreamed);
            driver.stream.connect();
        }
        long listening = System.currentTimeMillis() + 20_000;
        while (city.drivers().stream().anyMatch(d -> !d.stream.open()) && System.currentTimeMillis() < listening) {
            ApiClient.sleep(100);
        }
        long interval = settings.positionInterval().toMillis();
        for (SimDriver driver : city.drivers()) {
            postPosition(driver, driver.position());
            api.post("/api/v1/drivers/me/online", driver.session.token(), null);
            ticks.add(scheduler.scheduleAtFixedRate(
                    () -> guarded(() -> tick(driver)),
                    ThreadLocalRandom.current().nextLong(interval),
                    interval,
                    TimeUnit.MILLISECONDS));
        }
        SimDriver chauffeur = chauffeur();
        long vipRides = settings.vipRideEvery().toMillis();
        if (chauffeur != null && vipRides > 0 && !city.vips().isEmpty()) {
            ticks.add(scheduler.scheduleAtFixedRate(
                    () -> guarded(() -> requestVipRide(chauffeur)),
                    Math.min(1500, vipRides),
                    vipRides,
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
            driver.stream.close();
        }
    }

    /**
     * A driver's beat: their position; during a VIP trip the VIP's too (the chauffeur reports for the VIP);
     * while their stream is down, the offers they would have missed, polled.
     */
    private void tick(SimDriver driver) {
        Point at = driver.position();
        postPosition(driver, at);
        Ride trip = vipTrips.get(driver.driverId);
        if (trip != null) {
            synchronized (trip) {
                if (trip.vipAboard) {
                    postVipPosition(trip, at, "waypoint");
                }
            }
        }
        if (!driver.stream.open() && !driver.busy) {
            pollOffers(driver);
        }
    }

    private SimDriver chauffeur() {
        return city.drivers().stream().filter(d -> d.chauffeur).findFirst().orElse(null);
    }

    int ridesUnderWay() {
        return ridesUnderWay.size();
    }

    /** One VIP position, reported by the chauffeur of the VIP's active ride; stored encrypted under the VIP's key. */
    private void postVipPosition(Ride ride, Point at, String type) {
        Map<String, Object> point = new java.util.LinkedHashMap<>();
        point.put("lat", at.lat());
        point.put("lng", at.lng());
        point.put("recordedAt", java.time.Instant.now().toString());
        point.put("accuracyM", 8);
        point.put("locationType", type);
        if (api.post("/api/v1/vip/locations?vipUserId=" + ride.rider.session.userId, ride.driver.session.token(), point)
                .ok()) {
            stats.vipPositions.incrementAndGet();
        }
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
        List<SimDriver> free = city.drivers().stream()
                .filter(d -> !d.chauffeur && !d.busy && d.cruising())
                .toList();
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
        Dropoff dropoff = dropoff(pickupRoad, pickup, random);
        Ride ride = new Ride(
                rideNumbers.incrementAndGet(), rider, pickupRoad, pickup, dropoff.road(), dropoff.offsetM(), false);
        request(ride, "sedan", "sim-" + city.run() + "-" + ride.number);
    }

    /**
     * A VIP asks for a VIP ride, from a little ahead of the chauffeur, when the chauffeur is free: the quote
     * and the request are a rider's like any other; the service seals the route under the VIP's key and
     * dispatch offers the ride only to a VIP-eligible driver, the chauffeur.
     */
    private void requestVipRide(SimDriver chauffeur) {
        if (stopping || chauffeur.busy || !chauffeur.cruising() || !vipRideUnderWay.compareAndSet(false, true)) {
            return;
        }
        City.Rider vip = claimIdle(city.vips());
        if (vip == null) {
            vipRideUnderWay.set(false);
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Road pickupRoad = chauffeur.road();
        Point pickup = pickupRoad.at(Math.min(pickupRoad.lengthM(), chauffeur.offsetM() + random.nextDouble(200, 600)));
        Dropoff dropoff = dropoff(pickupRoad, pickup, random);
        Ride ride = new Ride(
                vipRideNumbers.incrementAndGet(), vip, pickupRoad, pickup, dropoff.road(), dropoff.offsetM(), true);
        request(ride, "luxury", "sim-" + city.run() + "-vip-" + ride.number);
    }

    private record Dropoff(Road road, double offsetM) {}

    /** A drop-off 1.5 to 15 km from the pickup, on a random road (the pickup's road if 30 tries find none). */
    private static Dropoff dropoff(Road pickupRoad, Point pickup, ThreadLocalRandom random) {
        Dropoff dropoff = new Dropoff(pickupRoad, 0);
        for (int attempt = 0; attempt < 30; attempt++) {
            Road road = LagosRoads.ROADS.get(random.nextInt(LagosRoads.ROADS.size()));
            dropoff = new Dropoff(road, random.nextDouble() * road.lengthM());
            double metres = pickup.metresTo(road.at(dropoff.offsetM()));
            if (metres > 1500 && metres < 15000) {
                break;
            }
        }
        return dropoff;
    }

    /** Quote, then request; the driver's offer comes on their stream (see offerStreamed). */
    private void request(Ride ride, String vehicleType, String idempotencyKey) {
        ridesUnderWay.add(ride.key());
        ApiClient.Response quote = api.post(
                "/api/v1/fare-quotes",
                ride.rider.session.token(),
                Map.of(
                        "city",
                        "lagos",
                        "vehicleType",
                        vehicleType,
                        "pickup",
                        Map.of("lat", ride.pickup.lat(), "lng", ride.pickup.lng()),
                        "dropoff",
                        Map.of("lat", ride.dropoff.lat(), "lng", ride.dropoff.lng())));
        if (!quote.ok()) {
            finish(ride);
            return;
        }
        ApiClient.Response requested = api.send(
                "POST",
                "/api/v1/rides",
                ride.rider.session.token(),
                Map.of(
                        "quoteId", quote.text("id"),
                        "pickupAddress", ride.pickupRoad.name(),
                        "dropoffAddress", ride.dropoffRoad.name()),
                Set.of(),
                Map.of("Idempotency-Key", idempotencyKey));
        if (!requested.ok()) {
            finish(ride);
            return;
        }
        stats.ridesRequested.incrementAndGet();
        if (ride.vip) {
            stats.vipRidesRequested.incrementAndGet();
        }
        ride.requestedAt = System.currentTimeMillis();
        SimDriver early;
        synchronized (offerHandOver) {
            ride.id = requested.text("id");
            ridesById.put(ride.id, ride);
            early = earlyOffers.remove(ride.id);
        }
        if (early != null) {
            claim(ride, early);
        }
        later(3000, () -> awaitDriver(ride));
    }

    /** An offer on a driver's stream (called by the stream's reader: the work goes to the scheduler). */
    private void offerStreamed(SimDriver driver, tools.jackson.databind.JsonNode offer) {
        if (!"offered".equals(offer.path("status").asString(""))) {
            return; // accepted, declined, expired or withdrawn: nothing for the driver to do
        }
        stats.offersStreamed.incrementAndGet();
        String rideId = offer.path("rideId").asString("");
        later(0, () -> offered(driver, rideId));
    }

    /** The driver's app while the stream is down: the open offers, polled. */
    private void pollOffers(SimDriver driver) {
        ApiClient.Response offers = api.get("/api/v1/drivers/me/offers", driver.session.token());
        if (!offers.ok()) {
            return;
        }
        offers.body()
                .valueStream()
                .filter(o -> "offered".equals(o.path("status").asString("")))
                .forEach(o -> {
                    stats.offersPolled.incrementAndGet();
                    offered(driver, o.path("rideId").asString(""));
                });
    }

    private void offered(SimDriver driver, String rideId) {
        Ride ride;
        synchronized (offerHandOver) {
            ride = ridesById.get(rideId);
            if (ride == null) {
                // The request that caused it has not answered its rider yet.
                earlyOffers.put(rideId, driver);
                later(60_000, () -> earlyOffers.remove(rideId, driver));
                return;
            }
        }
        claim(ride, driver);
    }

    /**
     * The driver takes the offer, unless the ride is taken or given up; the tap on "accept" follows shortly. A
     * driver offered a ride the moment their last one ended may still be finishing it here: they take the offer
     * once done.
     */
    private void claim(Ride ride, SimDriver driver) {
        claim(ride, driver, 1);
    }

    private void claim(Ride ride, SimDriver driver, int attempt) {
        synchronized (ride) {
            if (ride.givenUp || ride.driver != null) {
                return;
            }
            if (driver.busy) {
                if (attempt < 10) {
                    later(500, () -> claim(ride, driver, attempt + 1));
                }
                return;
            }
            ride.driver = driver;
            driver.busy = true;
        }
        later(300, () -> acceptOffer(ride));
    }

    /**
     * The rider waits for a driver: dispatch offers the ride (again, when an offer timed out or went
     * elsewhere) and the offered driver's stream brings it; the rider gives up after a while.
     */
    private void awaitDriver(Ride ride) {
        if (ride.accepted) {
            return;
        }
        ApiClient.Response seen = api.get("/api/v1/rides/" + ride.id, ride.rider.session.token());
        if (!seen.ok()) {
            synchronized (ride) {
                ride.givenUp = true;
            }
            finish(ride);
            return;
        }
        String status = seen.text("status");
        boolean waiting = "pending".equals(status) || "driver_assigned".equals(status);
        if (waiting && System.currentTimeMillis() - ride.requestedAt < 30_000) {
            SimDriver offered = "driver_assigned".equals(status) ? driversById.get(seen.text("driverId")) : null;
            if (offered != null && ride.driver == null && !offered.stream.open()) {
                pollOffers(offered);
            }
            later(3000, () -> awaitDriver(ride));
            return;
        }
        synchronized (ride) {
            if (ride.accepted || ride.driver != null) {
                later(3000, () -> awaitDriver(ride));
                return;
            }
            ride.givenUp = true;
        }
        if (waiting) {
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
        ApiClient.Response accepted = api.send(
                "POST", "/api/v1/rides/" + ride.id + "/accept", driver.session.token(), null, OFFER_GONE, Map.of());
        if (!accepted.ok()) {
            // The offer timed out or went to someone else: the ride waits for its next driver.
            synchronized (ride) {
                driver.busy = false;
                ride.driver = null;
            }
            return;
        }
        ride.accepted = true;
        stats.ridesAccepted.incrementAndGet();
        if (!ride.vip && every(settings.cancelEvery(), ride.number, 2)) {
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
        if (ride.vip) {
            synchronized (ride) {
                ride.vipAboard = true;
                postVipPosition(ride, ride.pickup, "pickup");
            }
            vipTrips.put(ride.driver.driverId, ride);
        }
        if (!ride.vip && every(settings.sosEvery(), ride.number, 3)) {
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
        if (ride.vip) {
            // The last VIP position before the ride ends: afterwards the chauffeur may report none.
            synchronized (ride) {
                postVipPosition(ride, ride.dropoff, "dropoff");
                ride.vipAboard = false;
            }
            vipTrips.remove(ride.driver.driverId, ride);
        }
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
        if (ride.vip) {
            stats.vipRidesCompleted.incrementAndGet();
        }
        SimDriver driver = ride.driver;
        releaseDriver(ride, ride.dropoffRoad, ride.dropoffOffset);
        later(500, () -> {
            api.post(
                    "/api/v1/rides/" + ride.id + "/rating",
                    ride.rider.session.token(),
                    Map.of("stars", ThreadLocalRandom.current().nextInt(4, 6)));
            api.post("/api/v1/rides/" + ride.id + "/rating", driver.session.token(), Map.of("stars", 5));
            if (!ride.vip && every(settings.refundEvery(), ride.number, 5)) {
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
        synchronized (ride) {
            ride.vipAboard = false;
        }
        if (ride.driver != null) {
            vipTrips.remove(ride.driver.driverId, ride);
            releaseDriver(ride, ride.dropoffRoad, ride.dropoffOffset);
        }
        finish(ride);
        return false;
    }

    private void finish(Ride ride) {
        ride.rider.busy = false;
        ridesUnderWay.remove(ride.key());
        if (ride.vip) {
            vipRideUnderWay.set(false);
        }
        if (ride.id != null) {
            ridesById.remove(ride.id, ride);
        }
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

    /** One ride's state, as its steps go; its monitor guards who takes it and whether a VIP is aboard. */
    private static final class Ride {
        final long number;
        final City.Rider rider;
        final Road pickupRoad;
        final Point pickup;
        final Road dropoffRoad;
        final double dropoffOffset;
        final Point dropoff;
        /** A VIP's ride: its route is sealed, the chauffeur drives it and reports the VIP's positions. */
        final boolean vip;

        volatile String id;
        volatile long requestedAt;
        volatile SimDriver driver;
        volatile boolean accepted;
        volatile boolean givenUp;
        volatile boolean vipAboard;

        Ride(
                long number,
                City.Rider rider,
                Road pickupRoad,
                Point pickup,
                Road dropoffRoad,
                double dropoffOffset,
                boolean vip) {
            this.vip = vip;
            this.number = number;
            this.rider = rider;
            this.pickupRoad = pickupRoad;
            this.pickup = pickup;
            this.dropoffRoad = dropoffRoad;
            this.dropoffOffset = dropoffOffset;
            this.dropoff = dropoffRoad.at(dropoffOffset);
        }

        String key() {
            return (vip ? "vip-" : "") + number;
        }
    }
}
