-- V5_1__pricing_sealed_vip_quotes.sql — a VIP's quote keeps the trip's two points only as an envelope
-- under the VIP's subject key (route_enc, made by the service), never in the plain columns. A VIP's
-- quote therefore counts as surge demand only for the VIP's own price, not around other riders' pickups.
-- Existing rows are not rewritten: the rule is added NOT VALID and holds for every new or changed row.

ALTER TABLE public.fare_quotes
    ALTER COLUMN pickup_lat DROP NOT NULL,
    ALTER COLUMN pickup_lng DROP NOT NULL,
    ALTER COLUMN dropoff_lat DROP NOT NULL,
    ALTER COLUMN dropoff_lng DROP NOT NULL,
    ADD COLUMN route_enc bytea;

ALTER TABLE public.fare_quotes ADD CONSTRAINT fare_quotes_route_sealing_chk CHECK (
    CASE WHEN rider_tier = 'vip' THEN num_nonnulls(pickup_lat, pickup_lng, dropoff_lat, dropoff_lng) = 0
         ELSE num_nulls(pickup_lat, pickup_lng, dropoff_lat, dropoff_lng) = 0 AND route_enc IS NULL
    END) NOT VALID;

COMMENT ON COLUMN public.fare_quotes.route_enc IS
    'A VIP''s quoted pickup and drop-off: an envelope under the VIP''s subject key, bound to "public.fare_quotes.route_enc/<id>".';
