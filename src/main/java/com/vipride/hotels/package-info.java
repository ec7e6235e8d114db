/**
 * Hotels: partner hotels, their staff, rooms and bookings, and partner commission. Uses platform (web).
 */
@ApplicationModule(allowedDependencies = "platform::web")
package com.vipride.hotels;

import org.springframework.modulith.ApplicationModule;
