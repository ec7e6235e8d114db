/**
 * Rides: the ride record, its lifecycle and ride history for riders, drivers and fleets.
 * Uses platform.
 */
package com.vipride.rides;
