package com.vipride.rides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.Rides;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The row rules of the tables a ride request writes, each table's in one CHECK constraint, hold for every writer, the superuser included: a row that breaks one is refused with
 * check_violation naming the rule, as its own constraint did, and nothing is written; a row that keeps
 * them all is stored.
 */
class RowRulesIT extends IntegrationTest {

    static Stream<Arguments> brokenRideRules() {
        return Stream.of(
                Arguments.of(Map.of("pickup_lat", "91"), "rides_pickup_chk"),
                Arguments.of(Map.of("dropoff_lng", "-181"), "rides_dropoff_chk"),
                Arguments.of(Map.of("dropoff_lat", "6.5244", "dropoff_lng", "3.3792"), "rides_distinct_ends_chk"),
                Arguments.of(Map.of("currency", "'ngn'"), "rides_currency_chk"),
                Arguments.of(Map.of("estimated_fare_minor", "-1"), "rides_fares_chk"),
                Arguments.of(Map.of("surge_multiplier", "0.50"), "rides_surge_chk"),
                Arguments.of(Map.of("actual_distance_m", "-1"), "rides_measures_chk"),
                Arguments.of(Map.of("vip_priority_level", "6"), "rides_vip_priority_chk"),
                Arguments.of(Map.of("city", "'Lagos'"), "rides_city_chk"),
                Arguments.of(Map.of("passengers", "0"), "rides_passengers_chk"),
                Arguments.of(Map.of("cancellation_fee_minor", "-1"), "rides_cancellation_fee_chk"),
                Arguments.of(Map.of("driver_rating", "9"), "rides_ratings_chk"),
                Arguments.of(Map.of("status", "'driver_assigned'"), "rides_assigned_has_driver_chk"),
                Arguments.of(Map.of("status", "'cancelled'", "cancelled_by", "'customer'"), "rides_cancelled_chk"),
                Arguments.of(Map.of("status", "'expired'"), "rides_expired_chk"),
                Arguments.of(Map.of("driver_rating", "4"), "rides_rated_when_completed_chk"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenRideRules")
    void aRideThatBreaksARuleIsRefusedWithTheRulesName(Map<String, String> change, String rule) {
        UUID customer = accounts().aRegisteredCustomer().id();

        Throwable refused = catchThrowable(() -> Rides.aRideRow(superuser(), customer, change));

        assertRefusedByRule(refused, "rides", rule);
        assertThat(ridesOf(customer)).isZero();
    }

    @Test
    void aRideThatKeepsEveryRuleIsStored() {
        UUID customer = accounts().aRegisteredCustomer().id();

        Rides.aRideRow(
                superuser(),
                customer,
                Map.of(
                        "status",
                        "'cancelled'",
                        "cancelled_by",
                        "'customer'",
                        "cancelled_at",
                        "now()",
                        "surge_multiplier",
                        "1.50",
                        "passengers",
                        "4"));

        assertThat(ridesOf(customer)).isEqualTo(1);
    }

    static Stream<Arguments> brokenDriverRules() {
        return Stream.of(
                Arguments.of("status = 'retired'", "drivers_status_chk"),
                Arguments.of("city = 'Lagos'", "drivers_city_chk"),
                Arguments.of("rating = 0", "drivers_rating_chk"),
                Arguments.of("total_rides = -1", "drivers_counts_chk"),
                Arguments.of("category = 'fleet_driver'", "drivers_fleet_driver_has_fleet_chk"),
                Arguments.of("is_available = true", "drivers_available_online_chk"),
                Arguments.of("is_online = true, is_available = true", "drivers_available_has_position_chk"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenDriverRules")
    void aDriverChangeThatBreaksARuleIsRefusedWithTheRulesName(String change, String rule) {
        UUID driver = anApprovedOfflineDriver();

        Throwable refused = catchThrowable(() -> superuser()
                .sql("UPDATE public.drivers SET " + change + " WHERE id = :id")
                .param("id", driver)
                .update());

        assertRefusedByRule(refused, "drivers", rule);
        assertThat(superuser()
                        .sql(
                                "SELECT status || ' ' || is_online || ' ' || total_rides FROM public.drivers WHERE id = :id")
                        .param("id", driver)
                        .query(String.class)
                        .single())
                .isEqualTo("approved false 0");
    }

    static Stream<Arguments> brokenQuoteRules() {
        return Stream.of(
                Arguments.of("dropoff_lat = pickup_lat, dropoff_lng = pickup_lng", "fare_quotes_ends_chk"),
                Arguments.of("pickup_lat = 91", "fare_quotes_ends_chk"),
                Arguments.of("passengers = 15", "fare_quotes_passengers_chk"),
                Arguments.of("surge_multiplier = 0.50", "fare_quotes_fare_chk"),
                Arguments.of("expires_at = created_at", "fare_quotes_expiry_chk"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("brokenQuoteRules")
    void aQuoteChangeThatBreaksARuleIsRefusedWithTheRulesName(String change, String rule) {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        Response quote = api().post(
                        "/api/v1/fare-quotes",
                        world.trip("sedan", "per_ride"),
                        accounts().aSignedInCustomer().accessToken());
        assertThat(quote.status()).as(quote.toString()).isEqualTo(201);
        UUID id = UUID.fromString(quote.text("id"));

        Throwable refused = catchThrowable(() -> superuser()
                .sql("UPDATE public.fare_quotes SET " + change + " WHERE id = :id")
                .param("id", id)
                .update());

        assertRefusedByRule(refused, "fare_quotes", rule);
        assertThat(superuser()
                        .sql("SELECT passengers FROM public.fare_quotes WHERE id = :id")
                        .param("id", id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    private UUID anApprovedOfflineDriver() {
        UUID user = accounts().aSignedInStaffMember("driver").id();
        return superuser()
                .sql("""
                INSERT INTO public.drivers (user_id, license_number, license_expires_on, category, status)
                VALUES (:user, :licence, DATE '2031-01-01', 'owner_operator', 'approved') RETURNING id""")
                .param("user", user)
                .param("licence", "L-" + UUID.randomUUID())
                .query(UUID.class)
                .single();
    }

    private long ridesOf(UUID customer) {
        return superuser()
                .sql("SELECT count(*) FROM public.rides WHERE customer_id = :customer")
                .param("customer", customer)
                .query(Long.class)
                .single();
    }

    /** PostgreSQL refused the write as a check_violation of {@code table}, naming {@code rule}. */
    private static void assertRefusedByRule(Throwable refused, String table, String rule) {
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                ServerErrorMessage error = psql.getServerErrorMessage();
                assertThat(error.getSQLState()).isEqualTo("23514");
                assertThat(error.getConstraint()).isEqualTo(rule);
                assertThat(error.getTable()).isEqualTo(table);
                return;
            }
        }
        throw new AssertionError("not refused by PostgreSQL", refused);
    }
}
