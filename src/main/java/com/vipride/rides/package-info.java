/**
 * Rides: the ride record, its lifecycle and ride history for riders, drivers and fleets.
 * Uses platform and pricing.
 */
package com.vipride.rides;
