-- V11_3__rides_money_maxima.sql — a ride's fares and fee are at most 1,000,000,000,000 minor units,
-- the domain maximum of a single amount (public.fare_for never computes more).
ALTER TABLE public.rides ADD CONSTRAINT rides_fares_max_chk
    CHECK (estimated_fare_minor <= 1000000000000 AND final_fare_minor <= 1000000000000
           AND cancellation_fee_minor <= 1000000000000) NOT VALID;

ALTER TABLE public.rides VALIDATE CONSTRAINT rides_fares_max_chk;
