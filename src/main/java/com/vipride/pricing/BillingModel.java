package com.vipride.pricing;

/** How a trip is priced (public.billing_model); see public.fare_for for each formula. */
enum BillingModel {
    per_ride,
    time_based,
    distance_based,
    flat_rate,
    surge_pricing
}
