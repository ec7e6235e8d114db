package com.vipride.simulator;

import java.time.Duration;

/**
 * How big the simulated city is and how busy: drivers and riders seeded, rides requested a minute, how
 * long the traffic runs, and how long a driver takes to reach a pickup and to drive a trip (compressed
 * time: a trip of minutes in the city takes seconds here). Every Nth ride is cancelled by its rider, raises
 * an SOS, or is partly refunded by support; a hotel stay is booked every {@code hotelBookingEvery}, and a VIP
 * asks for a VIP ride every {@code vipRideEvery}.
 */
public record SimulationSettings(
        String baseUrl,
        String adminEmail,
        String adminPassword,
        Duration duration,
        double ridesPerMinute,
        int drivers,
        int riders,
        Duration positionInterval,
        Duration approach,
        Duration trip,
        int cancelEvery,
        int sosEvery,
        int refundEvery,
        Duration hotelBookingEvery,
        Duration vipRideEvery,
        Duration progressEvery,
        int threads) {

    public static SimulationSettings defaults(String baseUrl, String adminEmail, String adminPassword) {
        return new SimulationSettings(
                baseUrl,
                adminEmail,
                adminPassword,
                Duration.ofMinutes(10),
                8,
                30,
                40,
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                Duration.ofSeconds(45),
                12,
                15,
                10,
                Duration.ofMinutes(2),
                Duration.ofMinutes(3),
                Duration.ofSeconds(30),
                6);
    }

    public SimulationSettings withDuration(Duration value) {
        return new SimulationSettings(
                baseUrl,
                adminEmail,
                adminPassword,
                value,
                ridesPerMinute,
                drivers,
                riders,
                positionInterval,
                approach,
                trip,
                cancelEvery,
                sosEvery,
                refundEvery,
                hotelBookingEvery,
                vipRideEvery,
                progressEvery,
                threads);
    }

    public SimulationSettings withRate(double value) {
        return new SimulationSettings(
                baseUrl,
                adminEmail,
                adminPassword,
                duration,
                value,
                drivers,
                riders,
                positionInterval,
                approach,
                trip,
                cancelEvery,
                sosEvery,
                refundEvery,
                hotelBookingEvery,
                vipRideEvery,
                progressEvery,
                threads);
    }

    public SimulationSettings withPeople(int driverCount, int riderCount) {
        return new SimulationSettings(
                baseUrl,
                adminEmail,
                adminPassword,
                duration,
                ridesPerMinute,
                driverCount,
                riderCount,
                positionInterval,
                approach,
                trip,
                cancelEvery,
                sosEvery,
                refundEvery,
                hotelBookingEvery,
                vipRideEvery,
                progressEvery,
                threads);
    }

    public SimulationSettings withPace(Duration positions, Duration toPickup, Duration tripTime, Duration progress) {
        return new SimulationSettings(
                baseUrl,
                adminEmail,
                adminPassword,
                duration,
                ridesPerMinute,
                drivers,
                riders,
                positions,
                toPickup,
                tripTime,
                cancelEvery,
                sosEvery,
                refundEvery,
                hotelBookingEvery,
                vipRideEvery,
                progress,
                threads);
    }

    public SimulationSettings withIncidents(int cancel, int sos, int refund, Duration hotelBooking) {
        return new SimulationSettings(
                baseUrl,
                adminEmail,
                adminPassword,
                duration,
                ridesPerMinute,
                drivers,
                riders,
                positionInterval,
                approach,
                trip,
                cancel,
                sos,
                refund,
                hotelBooking,
                vipRideEvery,
                progressEvery,
                threads);
    }

    /** How often a VIP asks for a VIP ride (one at a time: the city has one VIP chauffeur); zero for none. */
    public SimulationSettings withVipRides(Duration every) {
        return new SimulationSettings(
                baseUrl,
                adminEmail,
                adminPassword,
                duration,
                ridesPerMinute,
                drivers,
                riders,
                positionInterval,
                approach,
                trip,
                cancelEvery,
                sosEvery,
                refundEvery,
                hotelBookingEvery,
                every,
                progressEvery,
                threads);
    }
}
