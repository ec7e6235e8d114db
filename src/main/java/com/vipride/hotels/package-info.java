/**
 * Hotels: partner hotels by tier and their vetting, staff, room types, rooms, rate plans with the price of
 * a stay, availability, bookings and their steps, rides a hotel originates, partner commission and monthly
 * statements. Uses platform (jobs, security, web).
 */
@ApplicationModule(allowedDependencies = {"platform::jobs", "platform::security", "platform::web"})
package com.vipride.hotels;

import org.springframework.modulith.ApplicationModule;
