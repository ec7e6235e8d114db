package com.vipride.pricing;

/** Vehicle classes riders can ask for (public.vehicle_type). */
public enum VehicleType { sedan, suv, luxury, van, premium }
