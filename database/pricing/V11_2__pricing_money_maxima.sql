-- V11_2__pricing_money_maxima.sql — every amount has a domain maximum, enforced here as well as by the
-- API's validation. A price-list component is at most 100,000,000 minor units (1,000,000.00 in a
-- two-decimal currency); a fare, like every single amount of money, at most 1,000,000,000,000 minor
-- units. public.fare_for caps what it computes at the latter, so no tariff can make a ride's fare
-- unpayable and the ride un-completable.
ALTER TABLE public.tariffs ADD CONSTRAINT tariffs_amounts_max_chk
    CHECK (greatest(base_fare_minor, per_km_minor, per_minute_minor, flat_fare_minor, minimum_fare_minor,
                    cancellation_fee_minor) <= 100000000 AND free_cancellation_s <= 86400) NOT VALID;

ALTER TABLE public.tariffs VALIDATE CONSTRAINT tariffs_amounts_max_chk;

ALTER TABLE public.fare_quotes ADD CONSTRAINT fare_quotes_fare_max_chk
    CHECK (estimated_fare_minor <= 1000000000000) NOT VALID;

ALTER TABLE public.fare_quotes VALIDATE CONSTRAINT fare_quotes_fare_max_chk;
