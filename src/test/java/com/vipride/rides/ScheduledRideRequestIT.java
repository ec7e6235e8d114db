package com.vipride.rides;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.dispatch.DispatchPass;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A rider books a ride for later ({@code scheduledFor}, 15 minutes to 30 days ahead): it waits unassigned,
 * even with a driver next door, and the dispatcher offers it from 15 minutes before its pickup; a time
 * too soon or too far is refused with nothing written.
 */
class ScheduledRideRequestIT extends IntegrationTest {

    @Autowired
    private DispatchPass dispatch;

    private RideWorld world;
    private SignedIn rider;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        world.driverAt(300);
        rider = world.rider("normal");
    }

    private Api.Response schedule(OffsetDateTime at) {
        return world.request(
                rider, Map.of("trip", world.trip("sedan", "per_ride"), "scheduledFor", at.toString()), null);
    }

    private long ridesOf(SignedIn someone) {
        return superuser()
                .sql("SELECT count(*) FROM public.rides WHERE customer_id = :id")
                .param("id", someone.id())
                .query(Long.class)
                .single();
    }

    @Test
    void aRideScheduledTwoHoursAheadWaitsAndIsOfferedWithinItsLead() {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).plusHours(2).truncatedTo(ChronoUnit.SECONDS);
        Api.Response booked = schedule(at);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        assertThat(booked.text("status")).isEqualTo("pending");
        assertThat(booked.text("driverId")).as("no driver claimed now").isNull();
        assertThat(Instant.parse(booked.text("scheduledFor"))).isEqualTo(at.toInstant());
        UUID ride = UUID.fromString(booked.text("id"));
        Map<String, Object> row = superuser()
                .sql("SELECT next_dispatch_at, dispatch_deadline, scheduled_for FROM public.rides WHERE id = :id")
                .param("id", ride)
                .query()
                .singleRow();
        assertThat(((java.sql.Timestamp) row.get("next_dispatch_at")).toInstant())
                .isEqualTo(at.toInstant().minus(Duration.ofMinutes(15)));
        assertThat(((java.sql.Timestamp) row.get("dispatch_deadline")).toInstant())
                .isAfter(at.toInstant());

        dispatch.runOnce();
        assertThat(status(ride)).as("two hours ahead: not offered yet").isEqualTo("pending");

        // Its dispatch lead begins: the pass offers it to the driver nearby.
        superuser()
                .sql("UPDATE public.rides SET next_dispatch_at = now() - interval '1 second' WHERE id = :id")
                .param("id", ride)
                .update();
        dispatch.runOnce();
        assertThat(status(ride)).isEqualTo("driver_assigned");
    }

    @Test
    void aTimeTooSoonOrTooFarAheadIsRefusedWithNothingWritten() {
        Api.Response tooSoon = schedule(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10));
        assertThat(tooSoon.status()).as(tooSoon.toString()).isEqualTo(422);
        assertThat(tooSoon.code()).isEqualTo("scheduled-time-out-of-range");

        Api.Response tooLate = schedule(OffsetDateTime.now(ZoneOffset.UTC).plusDays(31));
        assertThat(tooLate.status()).as(tooLate.toString()).isEqualTo(422);
        assertThat(tooLate.code()).isEqualTo("scheduled-time-out-of-range");

        Api.Response past = schedule(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(past.status()).as(past.toString()).isEqualTo(422);
        assertThat(past.code()).isEqualTo("scheduled-time-out-of-range");

        assertThat(ridesOf(rider)).isZero();

        Api.Response now = world.requestRide(rider);
        assertThat(now.status()).as(now.toString()).isEqualTo(201);
        assertThat(now.text("scheduledFor")).as("as soon as possible").isNull();
    }

    private String status(UUID ride) {
        return superuser()
                .sql("SELECT status::text FROM public.rides WHERE id = :id")
                .param("id", ride)
                .query(String.class)
                .single();
    }
}
