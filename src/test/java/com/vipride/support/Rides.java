package com.vipride.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.RideWorld.Driver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Rides in a known state, named by that state, made in a {@link RideWorld} through the database functions
 * and transitions the service itself calls, each as the service does: the app_backend login switched into
 * the caller's role for the caller's user, one transaction a step. The rider quotes
 * ({@code public.quote_fare}) and requests ({@code public.request_ride}, which claims the nearest suitable
 * driver and offers the ride); the driver accepts ({@code public.respond_to_ride_offer}) and takes each
 * step with the UPDATE {@code RideLifecycle} runs, which the rides' transition triggers check, stamp,
 * price and settle. Rides that no function can make (a row breaking a rule, a ride months away from now)
 * come from {@link #aRideRow} and {@link PastRide} only.
 */
public final class Rides {

    private static final String RIDE = "id, requested_at, status::text AS status, driver_id";

    private final RideWorld world;
    private final DataSource serviceLogin;
    private final String billingModel;

    public Rides(RideWorld world, DataSource serviceLogin) {
        this(world, serviceLogin, "per_ride");
    }

    private Rides(RideWorld world, DataSource serviceLogin, String billingModel) {
        this.world = world;
        this.serviceLogin = serviceLogin;
        this.billingModel = billingModel;
    }

    /** The same factory for trips under another of the world's billing models (its tariff must exist). */
    public Rides billedAs(String model) {
        return new Rides(world, serviceLogin, model);
    }

    /** A ride, its id and partition key, and where it stands. */
    public record Ride(UUID id, OffsetDateTime requestedAt, String status, UUID driverId) {}

    /** Requested with no suitable driver in range: pending, waiting for the dispatcher. */
    public Ride aRequestedRide(UUID rider) {
        Ride ride = request(rider);
        assertThat(ride.status()).as("nobody in range").isEqualTo("pending");
        return ride;
    }

    /** Requested and claimed by {@code driver}, the nearest suitable one, whose offer is open. */
    public Ride anAssignedRide(UUID rider, Driver driver) {
        Ride ride = request(rider);
        assertThat(ride.driverId())
                .as("the ride went to the driver the test put nearest")
                .isEqualTo(driver.id());
        return ride;
    }

    /** Assigned, and the driver accepted the offer. */
    public Ride anAcceptedRide(UUID rider, Driver driver) {
        return accept(anAssignedRide(rider, driver), driver);
    }

    /** Accepted, and the driver is at the pickup. */
    public Ride anArrivedRide(UUID rider, Driver driver) {
        return step(anAcceptedRide(rider, driver), driver, "status = 'driver_arrived'", null);
    }

    /** The rider is on board: in progress. */
    public Ride aStartedRide(UUID rider, Driver driver) {
        return step(anArrivedRide(rider, driver), driver, "status = 'in_progress'", null);
    }

    /** Driven {@code metres} and completed: priced by the quoted tariff, its fare shared out (ride_earnings). */
    public Ride aCompletedRide(UUID rider, Driver driver, int metres) {
        return complete(aStartedRide(rider, driver), driver, metres);
    }

    /**
     * Completed at exactly {@code fare}: the world's flat-rate tariff for the rider's tier is set to it first,
     * as an admin changes a price list, so the real completion prices and settles the ride at that fare.
     */
    public Ride aCompletedRideAtFare(UUID rider, Driver driver, long fare, int metres) {
        world.flatFare(world.tierOf(rider), fare);
        return billedAs("flat_rate").aCompletedRide(rider, driver, metres);
    }

    /** Requested, then cancelled by the rider while still pending. */
    public Ride aCancelledRide(UUID rider) {
        Ride ride = aRequestedRide(rider);
        return as(
                "customer_user",
                rider,
                sql -> sql.sql("UPDATE public.rides SET status = 'cancelled', "
                                + "cancellation_reason = 'changed plans' WHERE id = :id RETURNING " + RIDE)
                        .param("id", ride.id())
                        .query(Rides::ride)
                        .single());
    }

    /** The driver accepts the ride's open offer. */
    public Ride accept(Ride ride, Driver driver) {
        String answer = as(
                "driver_user",
                driver.user().id(),
                sql -> sql.sql("SELECT public.respond_to_ride_offer(:id, true)")
                        .param("id", ride.id())
                        .query(String.class)
                        .single());
        assertThat(answer).isEqualTo("accepted");
        return ride;
    }

    /** The driver completes the ride after {@code metres}. */
    public Ride complete(Ride ride, Driver driver, int metres) {
        return step(ride, driver, "status = 'completed', actual_distance_m = :value", metres);
    }

    private Ride request(UUID rider) {
        Map<String, Object> trip = world.trip("sedan", billingModel);
        @SuppressWarnings("unchecked")
        Map<String, Object> pickup = (Map<String, Object>) trip.get("pickup");
        @SuppressWarnings("unchecked")
        Map<String, Object> dropoff = (Map<String, Object>) trip.get("dropoff");
        boolean vip = "vip".equals(world.tierOf(rider));
        return as("customer_user", rider, sql -> {
            UUID quote = sql.sql("""
                    SELECT id FROM public.quote_fare(:city, CAST(:vt AS public.vehicle_type),
                                                     CAST(:model AS public.billing_model), 1, :plat, :plng, :dlat, :dlng)""")
                    .param("city", world.city)
                    .param("vt", trip.get("vehicleType"))
                    .param("model", billingModel)
                    .param("plat", pickup.get("lat"))
                    .param("plng", pickup.get("lng"))
                    .param("dlat", dropoff.get("lat"))
                    .param("dlng", dropoff.get("lng"))
                    .query(UUID.class)
                    .single();
            // A VIP's ride carries its route sealed, with the pickup for the claim in memory; these rides'
            // routes are never read, so a stand-in envelope takes the place of the one the service seals.
            return sql.sql("SELECT " + RIDE
                            + " FROM public.request_ride(:quote, CAST(NULL AS text), CAST(NULL AS text), "
                            + "CASE WHEN :vip THEN NULL ELSE '1 Pickup Street' END, "
                            + "CASE WHEN :vip THEN NULL ELSE '2 Dropoff Road' END, :plat, :plng, "
                            + "CASE WHEN :vip THEN convert_to('sealed elsewhere', 'UTF8') END)")
                    .param("quote", quote)
                    .param("vip", vip)
                    .param("plat", pickup.get("lat"))
                    .param("plng", pickup.get("lng"))
                    .query(Rides::ride)
                    .single();
        });
    }

    /** One step of the driver's, the UPDATE RideLifecycle runs. */
    private Ride step(Ride ride, Driver driver, String assignments, Object value) {
        return as("driver_user", driver.user().id(), sql -> {
            var update = sql.sql("UPDATE public.rides SET " + assignments + " WHERE id = :id RETURNING " + RIDE)
                    .param("id", ride.id());
            return (value == null ? update : update.param("value", value))
                    .query(Rides::ride)
                    .single();
        });
    }

    /** Work in one committed transaction as the service login acting for {@code user} in {@code role}. */
    private <T> T as(String role, UUID user, Function<JdbcClient, T> work) {
        try (Connection connection = serviceLogin.getConnection()) {
            connection.setAutoCommit(false);
            try {
                JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
                sql.sql("SELECT set_config('role', :role, true), set_config('app.current_user_id', :user, true)")
                        .param("role", role)
                        .param("user", user.toString())
                        .query()
                        .singleRow();
                T result = work.apply(sql);
                connection.commit();
                return result;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Ride ride(java.sql.ResultSet row, int n) throws SQLException {
        return new Ride(
                row.getObject("id", UUID.class),
                row.getObject("requested_at", OffsetDateTime.class),
                row.getString("status"),
                row.getObject("driver_id", UUID.class));
    }

    /**
     * A ride row written directly, by whoever {@code sql} connects as: the few columns every ride has
     * (a normal rider's pending sedan trip in Lagos), changed or added to by {@code columns} (column →
     * SQL expression). Only for rows no function makes: a row breaking a row rule, a rider's own
     * quote-less INSERT, a ride requested months away from now for the partitions and the archive.
     */
    public static UUID aRideRow(JdbcClient sql, UUID customer, Map<String, String> columns) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("customer_id", literal(customer));
        row.put("customer_tier", "'normal'");
        row.put("vehicle_type", "'sedan'");
        row.put("currency", "'NGN'");
        row.put("pickup_lat", "6.5244");
        row.put("pickup_lng", "3.3792");
        row.put("dropoff_lat", "6.4550");
        row.put("dropoff_lng", "3.3941");
        row.putAll(columns);
        return sql.sql("INSERT INTO public.rides (" + String.join(", ", row.keySet()) + ") VALUES ("
                        + String.join(", ", row.values()) + ") RETURNING id")
                .query(UUID.class)
                .single();
    }

    /** A pending ride row requested at {@code at}, which may be months from now (see {@link #aRideRow}). */
    public static UUID aRideRequestedAt(JdbcClient sql, UUID customer, OffsetDateTime at) {
        return aRideRow(sql, customer, Map.of("requested_at", literal(at)));
    }

    /**
     * A ride of the past, written as it stands at the end of its history, for history, analytics and
     * access-rule tests that need rides on given days: request_ride stamps now() and every step stamps its
     * own time, so no function makes one. Its timeline after {@code requestedAt}: assigned 1 minute later,
     * the driver arrived at 3, the trip started at 4 and, completed, ended at 14 after 1,000 m (600 s);
     * a cancelled ride was cancelled by its rider at 2.
     */
    public record PastRide(
            UUID customer,
            OffsetDateTime requestedAt,
            String tier,
            String city,
            String vehicleType,
            UUID driver,
            UUID vehicle,
            UUID fleet,
            String status,
            Long fare) {

        public static PastRide of(UUID customer, OffsetDateTime requestedAt) {
            return new PastRide(customer, requestedAt, "normal", null, "sedan", null, null, null, "pending", null);
        }

        public PastRide tier(String value) {
            return new PastRide(customer, requestedAt, value, city, vehicleType, driver, vehicle, fleet, status, fare);
        }

        public PastRide in(String value) {
            return new PastRide(customer, requestedAt, tier, value, vehicleType, driver, vehicle, fleet, status, fare);
        }

        public PastRide vehicleType(String value) {
            return new PastRide(customer, requestedAt, tier, city, value, driver, vehicle, fleet, status, fare);
        }

        /** Taken by {@code driverId} in {@code vehicleId}, for {@code fleetId} (or none). */
        public PastRide drivenBy(UUID driverId, UUID vehicleId, UUID fleetId) {
            return new PastRide(
                    customer, requestedAt, tier, city, vehicleType, driverId, vehicleId, fleetId, status, fare);
        }

        public PastRide assigned() {
            return new PastRide(
                    customer, requestedAt, tier, city, vehicleType, driver, vehicle, fleet, "driver_assigned", fare);
        }

        public PastRide inProgress() {
            return new PastRide(
                    customer, requestedAt, tier, city, vehicleType, driver, vehicle, fleet, "in_progress", fare);
        }

        public PastRide completed(long finalFare) {
            return new PastRide(
                    customer, requestedAt, tier, city, vehicleType, driver, vehicle, fleet, "completed", finalFare);
        }

        public PastRide cancelledByRider() {
            return new PastRide(
                    customer, requestedAt, tier, city, vehicleType, driver, vehicle, fleet, "cancelled", fare);
        }

        public Ride insert(JdbcClient sql) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("requested_at", literal(requestedAt));
            row.put("customer_tier", literal(tier));
            row.put("vehicle_type", literal(vehicleType));
            if (city != null) {
                row.put("city", literal(city));
            }
            row.put("status", literal(status));
            if ("vip".equals(tier)) {
                // A VIP's route is kept only sealed (rides_route_sealing_chk); a stand-in envelope here.
                row.put("route_enc", "convert_to('sealed elsewhere', 'UTF8')");
                for (String column : new String[] {"pickup_lat", "pickup_lng", "dropoff_lat", "dropoff_lng"}) {
                    row.put(column, "NULL");
                }
            } else {
                row.put("pickup_lat", "6.4281");
                row.put("pickup_lng", "3.4219");
                row.put("pickup_address", "'1 Ozumba Mbadiwe Ave'");
                row.put("dropoff_lat", "6.5774");
                row.put("dropoff_lng", "3.3212");
                row.put("dropoff_address", "'Murtala Muhammed Airport'");
            }
            row.put("driver_id", literal(driver));
            row.put("vehicle_id", literal(vehicle));
            row.put("fleet_company_id", literal(fleet));
            boolean assigned = !status.equals("pending") && !status.equals("cancelled");
            boolean started = status.equals("in_progress") || status.equals("completed");
            if (assigned) {
                row.put("assigned_at", after(1));
            }
            if (started) {
                row.put("arrived_at", after(3));
                row.put("started_at", after(4));
            }
            if (status.equals("completed")) {
                row.put("completed_at", after(14));
                row.put("estimated_fare_minor", literal(fare));
                row.put("final_fare_minor", literal(fare));
                row.put("actual_distance_m", "1000");
                row.put("actual_duration_s", "600");
            }
            if (status.equals("cancelled")) {
                row.put("cancelled_at", after(2));
                row.put("cancelled_by", "'customer'");
            }
            return new Ride(aRideRow(sql, customer, row), requestedAt, status, driver);
        }

        private String after(int minutes) {
            return literal(requestedAt.plusMinutes(minutes));
        }
    }

    /** A value as an SQL literal of unknown type, which PostgreSQL reads as the column's type. */
    private static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }
}
