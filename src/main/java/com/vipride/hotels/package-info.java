/**
 * Hotels: partner hotels, their staff, rooms and bookings, and partner commission. Uses platform.
 */
package com.vipride.hotels;
