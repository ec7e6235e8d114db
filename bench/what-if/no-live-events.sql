-- The schema without the live events and messages of rides and offers (the triggers that write
-- stream_events and call public.notify): ride-request-api run with
-- -Dbench.extraSql=bench/what-if/no-live-events.sql measures the ride request as it was before them.
ALTER TABLE public.ride_offers DISABLE TRIGGER ride_offers_stream;
ALTER TABLE public.rides DISABLE TRIGGER rides_stream;
ALTER TABLE public.rides DISABLE TRIGGER rides_stream_requested;
ALTER TABLE public.rides DISABLE TRIGGER rides_open_safety_incident;
ALTER TABLE public.drivers DISABLE TRIGGER drivers_position_stream;
