-- V5__rides_sealed_vip_routes.sql — a VIP ride's pickup and drop-off are VIP data: they are kept only as
-- one AES-256-GCM envelope under the VIP's subject key (route_enc, made by the service; the key never
-- enters the database), never in the plain columns. Dispatch reads the exact pickup in memory at request
-- time; a VIP ride that must be offered again (declined, timed out, nobody in range yet) is searched around
-- pickup_cell, the pickup snapped to a 0.01° grid (about 1.1 km), which is erased once a driver accepts.
-- Existing rows are not rewritten: the rule is added NOT VALID and holds for every new or changed row.

ALTER TABLE public.rides
    ALTER COLUMN pickup_lat DROP NOT NULL,
    ALTER COLUMN pickup_lng DROP NOT NULL,
    ALTER COLUMN dropoff_lat DROP NOT NULL,
    ALTER COLUMN dropoff_lng DROP NOT NULL,
    ADD COLUMN route_enc bytea,
    ADD COLUMN pickup_cell point;

-- A VIP ride holds its route only sealed; every other ride holds it in the plain columns.
ALTER TABLE public.rides ADD CONSTRAINT rides_route_sealing_chk CHECK (
    CASE WHEN customer_tier = 'vip'
         THEN num_nonnulls(pickup_lat, pickup_lng, pickup_address, dropoff_lat, dropoff_lng, dropoff_address) = 0
         ELSE num_nulls(pickup_lat, pickup_lng, dropoff_lat, dropoff_lng) = 0
              AND route_enc IS NULL AND pickup_cell IS NULL
    END) NOT VALID;

COMMENT ON COLUMN public.rides.route_enc IS
    'A VIP ride''s pickup and drop-off (points and addresses): an envelope under the VIP''s subject key, bound to "public.rides.route_enc/<quote_id>".';

COMMENT ON COLUMN public.rides.pickup_cell IS
    'A VIP ride''s pickup snapped to 0.01° (lng, lat), for offering it again; erased once a driver accepts.';

-- The archive keeps the live table's shape.
ALTER TABLE archive.rides
    ALTER COLUMN pickup_lat DROP NOT NULL,
    ALTER COLUMN pickup_lng DROP NOT NULL,
    ALTER COLUMN dropoff_lat DROP NOT NULL,
    ALTER COLUMN dropoff_lng DROP NOT NULL,
    ADD COLUMN route_enc bytea,
    ADD COLUMN pickup_cell point;
