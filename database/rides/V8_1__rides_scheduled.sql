-- V8_1__rides_scheduled.sql — scheduled rides: a ride requested for a time 15 minutes to 30 days ahead
-- (scheduled_for). It waits as a pending ride whose next_dispatch_at is its dispatch lead before that
-- time; the dispatcher pass offers it then and expires it, with a notice to the rider, when nobody took
-- it by its deadline.

ALTER TABLE public.rides ADD COLUMN scheduled_for timestamptz;

ALTER TABLE archive.rides ADD COLUMN scheduled_for timestamptz;

COMMENT ON COLUMN public.rides.scheduled_for IS 'The pickup time a scheduled ride was booked for (NULL: as soon as possible).';
