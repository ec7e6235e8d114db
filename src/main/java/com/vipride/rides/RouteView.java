package com.vipride.rides;

import java.util.UUID;

/** Where a ride goes: its city and its two ends (point and the rider's label). */
record RouteView(UUID rideId, String city, TripView.Place pickup, TripView.Place dropoff) {}
