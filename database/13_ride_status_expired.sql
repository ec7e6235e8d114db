-- Part 13 — a ride request that found no driver before its dispatch deadline ends as 'expired', a
-- status of its own: it was neither cancelled by anyone nor served. Alone in its file because a new
-- enum value cannot be used in the transaction that adds it.
ALTER TYPE public.ride_status ADD VALUE IF NOT EXISTS 'expired' AFTER 'cancelled';
