package com.vipride.pricing;

/** Vehicle classes riders can ask for (public.vehicle_type). */
enum VehicleType {
    sedan,
    suv,
    luxury,
    van,
    premium
}
