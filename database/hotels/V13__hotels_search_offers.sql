-- V13__hotels_search_offers.sql — the availability search reads little:
--   * hotel_search_offers: what a search can offer, one row per active rate plan of a bookable room type
--     of an active hotel, with the hotel's city and everything the answer and the price need (kept by
--     the triggers of hotels, room types, rate plans and seasons);
--   * hotel_inventory_nights carries its hotel's city: a search reads the held rooms of a whole city
--     over its nights in one index range scan;
--   * pending bookings are found by age (the pending-bookings job expires those left past their hold).

CREATE TABLE public.hotel_search_offers (
    rate_plan_id            uuid        NOT NULL,
    room_type_id            uuid        NOT NULL,
    hotel_id                uuid        NOT NULL,
    city                    text        NOT NULL,
    hotel_name              text        NOT NULL,
    star_rating             smallint,
    partnership_tier        public.hotel_partnership_tier NOT NULL,
    room_type_name          text        NOT NULL,
    category                text        NOT NULL,
    capacity                smallint    NOT NULL,
    amenities               text[]      NOT NULL,
    rooms_count             integer     NOT NULL,
    hotel_rooms             integer     NOT NULL,
    currency                char(3)     NOT NULL,
    base_nightly_minor      bigint      NOT NULL,
    weekend_nights          smallint[]  NOT NULL,
    weekend_surcharge_bp    integer     NOT NULL,
    occupancy_threshold_pct smallint,
    occupancy_surcharge_bp  integer     NOT NULL,
    valid_from              date        NOT NULL,
    valid_to                date,
    seasonal                boolean     NOT NULL,
    CONSTRAINT hotel_search_offers_pkey PRIMARY KEY (rate_plan_id)
);

COMMENT ON TABLE public.hotel_search_offers IS
    'What the availability search offers: per active rate plan of a bookable room type of an active hotel, its city, '
    'hotel, room type and prices (maintained by trigger; the search reads a city''s offers in one range scan).';

CREATE INDEX hotel_search_offers_city_idx ON public.hotel_search_offers (city, capacity);

CREATE INDEX hotel_search_offers_hotel_idx ON public.hotel_search_offers (hotel_id);

ALTER TABLE public.hotel_search_offers ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_search_offers FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_inventory_nights ADD COLUMN city text;

UPDATE public.hotel_inventory_nights i SET city = h.city FROM public.hotel_partners h WHERE h.id = i.hotel_id;

ALTER TABLE public.hotel_inventory_nights ALTER COLUMN city SET NOT NULL;

-- A city's held rooms over a stay's nights, read from the index alone.
CREATE INDEX hotel_inventory_nights_city_idx ON public.hotel_inventory_nights (city, night) INCLUDE (room_type_id, hotel_id, booked);

-- Bookings left pending past their hold are expired by the pending-bookings job, oldest first.
CREATE INDEX hotel_bookings_pending_idx ON public.hotel_bookings (created_at) WHERE status = 'pending';
